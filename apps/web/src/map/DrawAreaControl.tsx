import type { Layer } from 'leaflet';
import { useEffect, useRef } from 'react';
import type { AreaInput } from '../api/endpoints';
import L from './geoman';
import { useLeafletMap } from './map-context';

interface DrawAreaControlProps {
  onChange: (area: AreaInput | null) => void;
  /** Text describing the area, sent as CAP areaDesc. */
  areaDesc: string;
}

const DRAW_STYLE = { color: '#ff8f3f', fillColor: '#ff8f3f', fillOpacity: 0.2, weight: 2 };

/**
 * Draws the alert's area with Leaflet-Geoman: a polygon (click the points, then the first
 * one again) or a circle (click the centre, then the edge). "Use the visible map" makes a
 * circle without pointing, for keyboard and screen-reader users. One area at a time.
 */
export function DrawAreaControl({ onChange, areaDesc }: DrawAreaControlProps) {
  const map = useLeafletMap();
  const drawn = useRef<Layer | null>(null);
  const describe = useRef(areaDesc);
  describe.current = areaDesc;

  useEffect(() => {
    map.pm.setGlobalOptions({ pathOptions: DRAW_STYLE, templineStyle: DRAW_STYLE });
    const report = () => onChange(toArea(drawn.current, describe.current));
    const created = (event: { layer: Layer }) => {
      drawn.current?.remove();
      drawn.current = event.layer;
      event.layer.on('pm:edit', report);
      report();
    };
    map.on('pm:create', created);

    return () => {
      map.off('pm:create', created);
      map.pm.disableDraw();
      drawn.current?.remove();
      drawn.current = null;
    };
  }, [map, onChange]);

  useEffect(() => {
    if (drawn.current) onChange(toArea(drawn.current, areaDesc));
  }, [areaDesc, onChange]);

  const draw = (shape: 'Polygon' | 'Circle') => {
    map.pm.enableDraw(shape, { snappable: false, finishOn: null });
  };

  const useView = () => {
    const bounds = map.getBounds();
    const radius = Math.min(
      map.distance(bounds.getNorthWest(), bounds.getNorthEast()),
      map.distance(bounds.getNorthWest(), bounds.getSouthWest()),
    );
    const circle = L.circle(map.getCenter(), { ...DRAW_STYLE, radius: Math.round(radius / 3) });
    circle.addTo(map);
    map.fire('pm:create', { layer: circle, shape: 'Circle' });
  };

  const clear = () => {
    map.pm.disableDraw();
    drawn.current?.remove();
    drawn.current = null;
    onChange(null);
  };

  return (
    <div className="map-overlay draw-tools" role="group" aria-label="Draw the alert area">
      <button type="button" className="chip" onClick={() => draw('Polygon')}>
        Draw polygon
      </button>
      <button type="button" className="chip" onClick={() => draw('Circle')}>
        Draw circle
      </button>
      <button type="button" className="chip" onClick={useView}>
        Use visible map
      </button>
      <button type="button" className="chip" onClick={clear}>
        Clear
      </button>
    </div>
  );
}

function toArea(layer: Layer | null, areaDesc: string): AreaInput | null {
  if (!layer) return null;
  const desc = areaDesc.trim() || 'Drawn area';
  if (layer instanceof L.Circle) {
    const centre = layer.getLatLng();

    return {
      areaDesc: desc,
      circle: { center: [centre.lng, centre.lat], radiusMeters: Math.round(layer.getRadius()) },
    };
  }
  if (layer instanceof L.Polygon) {
    const geometry = layer.toGeoJSON().geometry;
    if (geometry.type === 'Polygon') return { areaDesc: desc, geometry };
  }

  return null;
}
