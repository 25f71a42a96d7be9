import L from 'leaflet';

// leaflet.markercluster and Leaflet-Geoman extend the global `L`; it must exist before they load.
(window as unknown as { L: typeof L }).L = L;

export default L;
