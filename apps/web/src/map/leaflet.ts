/** Leaflet with the plugins the app uses, and their style sheets (bundled, no inline CSS). */
import L from './leaflet-global';
import 'leaflet.markercluster';
import '@geoman-io/leaflet-geoman-free';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css';

export default L;
