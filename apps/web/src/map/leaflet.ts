/**
 * Leaflet with marker clustering, and their style sheets (bundled, no inline CSS).
 * Leaflet-Geoman is loaded only with the composer (map/geoman.ts).
 */
import L from './leaflet-global';
import 'leaflet.markercluster';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';

export default L;
