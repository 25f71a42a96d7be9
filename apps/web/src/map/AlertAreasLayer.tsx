import type { AlertView } from '@tocsin/contracts';
import { useEffect, useRef } from 'react';
import L from './leaflet';
import {
  alertAreaLayers,
  alertIcon,
  alertPopupContent,
  boundsOf,
  clusterIcon,
} from './alert-shapes';
import { useLeafletMap } from './map-context';

interface AlertAreasLayerProps {
  alerts: AlertView[];
  /** Called with an alert id when its popup's button is pressed. */
  onOpen?: (id: string) => void;
  /** Zoom to the alerts' areas: on every change, only the first time there are some, or never. */
  fit?: 'always' | 'first' | false;
}

/**
 * The alerts' areas coloured by severity, and one marker per alert, clustered at low zoom.
 * Everything added on mount or change is removed on unmount or before the next change.
 */
export function AlertAreasLayer({ alerts, onOpen, fit = false }: AlertAreasLayerProps) {
  const map = useLeafletMap();
  const fitted = useRef(false);

  useEffect(() => {
    const areas = L.featureGroup();
    const markers = L.markerClusterGroup({
      iconCreateFunction: clusterIcon,
      showCoverageOnHover: false,
      maxClusterRadius: 50,
    });
    for (const alert of alerts) {
      const layers = alertAreaLayers(alert);
      for (const layer of layers) areas.addLayer(layer);
      const bounds = boundsOf(layers);
      if (!bounds) continue;
      const marker = L.marker(bounds.getCenter(), {
        icon: alertIcon(alert),
        title: `${alert.severity}: ${alert.headline}`,
        alt: `${alert.severity} alert`,
        keyboard: true,
      });
      marker.bindPopup(() => alertPopupContent(alert, () => onOpen?.(alert.id)));
      markers.addLayer(marker);
    }
    areas.addTo(map);
    markers.addTo(map);
    const bounds = areas.getBounds();
    if (bounds.isValid() && (fit === 'always' || (fit === 'first' && !fitted.current))) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
      fitted.current = true;
    }

    return () => {
      areas.remove();
      markers.remove();
    };
  }, [map, alerts, onOpen, fit]);

  return null;
}
