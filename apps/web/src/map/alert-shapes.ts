import type { AlertView } from '@tocsin/contracts';
import type { Layer, LatLngBounds } from 'leaflet';
import L from './leaflet';
import { SEVERITY_COLOURS, severityClass } from './severity';

/** The areas of one alert as Leaflet layers, coloured by severity (SVG paths, no HTML). */
export function alertAreaLayers(alert: AlertView): Layer[] {
  const colour = SEVERITY_COLOURS[alert.severity];
  const style = {
    color: colour,
    weight: 2,
    fillColor: colour,
    fillOpacity: alert.state === 'active' ? 0.25 : 0.08,
    dashArray: alert.state === 'active' ? undefined : '6 6',
    className: `alert-area ${severityClass(alert.severity)}`,
  };
  const layers: Layer[] = [];
  for (const area of alert.areas) {
    if (area.circle) {
      const [lon, lat] = area.circle.center;
      layers.push(L.circle([lat, lon], { ...style, radius: area.circle.radiusMeters }));
    } else if (area.geometry) {
      layers.push(L.geoJSON(area.geometry, { style: () => style }));
    }
  }

  return layers;
}

/**
 * The box around an alert's layers, before they are on a map. A circle's own `getBounds`
 * needs a map to project its radius, so its box is taken from its centre and radius instead.
 */
export function boundsOf(layers: Layer[]): LatLngBounds | null {
  const bounds = L.latLngBounds([]);
  for (const layer of layers) {
    if (layer instanceof L.Circle) {
      bounds.extend(layer.getLatLng().toBounds(layer.getRadius() * 2));
    } else if (layer instanceof L.FeatureGroup) {
      bounds.extend(layer.getBounds());
    }
  }

  return bounds.isValid() ? bounds : null;
}

/** A popup's content built from text nodes: user text can never become markup. */
export function alertPopupContent(alert: AlertView, onOpen: () => void): HTMLElement {
  const box = document.createElement('div');
  box.className = 'popup';
  const severity = document.createElement('p');
  severity.className = `badge ${severityClass(alert.severity)}`;
  severity.textContent = alert.severity;
  const headline = document.createElement('p');
  headline.className = 'popup-headline';
  headline.textContent = alert.headline;
  const open = document.createElement('button');
  open.type = 'button';
  open.className = 'link-button';
  open.textContent = 'Open alert';
  open.addEventListener('click', onOpen);
  box.append(severity, headline, open);

  return box;
}

/** The marker's icon: an element, so Leaflet does not parse an HTML string. */
export function alertIcon(alert: AlertView): L.DivIcon {
  const dot = document.createElement('span');
  dot.className = 'pin-dot';

  return L.divIcon({
    className: `alert-pin ${severityClass(alert.severity)}`,
    html: dot,
    iconSize: [22, 22],
  });
}

/** A cluster's icon showing its count, built with text. */
export function clusterIcon(cluster: L.MarkerCluster): L.DivIcon {
  const count = document.createElement('span');
  count.textContent = String(cluster.getChildCount());

  return L.divIcon({ className: 'alert-cluster', html: count, iconSize: [36, 36] });
}
