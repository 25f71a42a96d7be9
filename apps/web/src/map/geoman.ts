/** Leaflet-Geoman for drawing areas: only the composer's chunk loads it. */
import L from './leaflet';
import '@geoman-io/leaflet-geoman-free';
import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css';

export default L;
