import type { Map as LeafletMap } from 'leaflet';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useClientConfig } from '../state/client-config';
import L from './leaflet';
import { MapContext } from './map-context';

interface MapViewProps {
  /** Accessible name of the map region. */
  label: string;
  className?: string;
  /** Layers and controls, rendered once the map exists. */
  children?: ReactNode;
}

/**
 * Where a map opens: the last view on this device (localStorage `tocsin.mapView`, not user
 * data), else a fixed start.
 */
// TODO: start at the agency's jurisdiction once GET /api/me carries it.
const START = { center: [45.75, 4.84] as [number, number], zoom: 11 };
const VIEW_KEY = 'tocsin.mapView';

function lastView(): { center: [number, number]; zoom: number } {
  try {
    const saved = JSON.parse(localStorage.getItem(VIEW_KEY) ?? 'null') as typeof START | null;

    return saved && Array.isArray(saved.center) && typeof saved.zoom === 'number' ? saved : START;
  } catch {
    return START;
  }
}

/**
 * A Leaflet map with the configured tiles and attribution. Options: `label` names the region
 * for screen readers. Layers are children; each adds itself on mount and removes itself on
 * unmount, as Leaflet's add/remove pairs expect.
 */
export function MapView({ label, className, children }: MapViewProps) {
  const element = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<LeafletMap | null>(null);
  const config = useClientConfig();

  useEffect(() => {
    if (!element.current) return;
    const created = L.map(element.current, {
      zoomControl: true,
      attributionControl: true,
      // Clustering needs a maximum zoom before the tile layer (which has one) arrives.
      maxZoom: 19,
    });
    const view = lastView();
    created.setView(view.center, view.zoom);
    created.on('moveend', () => {
      const centre = created.getCenter();
      localStorage.setItem(
        VIEW_KEY,
        JSON.stringify({ center: [centre.lat, centre.lng], zoom: created.getZoom() }),
      );
    });
    // The attribution is text from configuration: set as text, never parsed as HTML.
    created.attributionControl.setPrefix(false);
    setMap(created);

    return () => {
      created.remove();
      setMap(null);
    };
  }, []);

  useEffect(() => {
    if (!map || !config) return;
    const tiles = L.tileLayer(config.tileUrl, { maxZoom: 19 });
    tiles.addTo(map);
    const attribution = new AttributionText(config.tileAttribution);
    attribution.addTo(map);

    return () => {
      tiles.remove();
      attribution.remove();
    };
  }, [map, config]);

  return (
    <div className={`map-frame ${className ?? ''}`}>
      <div ref={element} className="map" role="region" aria-label={label} />
      {map && <MapContext.Provider value={map}>{children}</MapContext.Provider>}
    </div>
  );
}

/** The tile attribution as a text node (Leaflet's own attribution control takes HTML). */
class AttributionText extends L.Control {
  constructor(private readonly text: string) {
    super({ position: 'bottomright' });
  }

  override onAdd(): HTMLElement {
    const element = L.DomUtil.create('div', 'leaflet-control-attribution map-attribution');
    element.textContent = this.text;

    return element;
  }
}
