import { useEffect, useRef, useState } from 'react';
import type { Endpoints } from '../api/endpoints';
import L from './leaflet';
import { useLeafletMap } from './map-context';

const OPT_IN_KEY = 'tocsin.shareLocation';
/** Report at most once a minute: enough for targeting, light on battery and data. */
const REPORT_EVERY_MS = 60_000;

/**
 * "Share my location": opt-in (remembered on this device in localStorage), shows the position
 * on the map and reports it to the server (PUT /api/me/location) so that alerts for the
 * area reach this responder. Off again stops watching.
 */
export function MyLocationControl({ endpoints }: { endpoints: Endpoints }) {
  const map = useLeafletMap();
  const [on, setOn] = useState(() => localStorage.getItem(OPT_IN_KEY) === 'on');
  const [problem, setProblem] = useState<string | null>(null);
  const lastReport = useRef(0);

  useEffect(() => {
    if (!on || !('geolocation' in navigator)) return;
    const marker = L.circleMarker([0, 0], {
      radius: 8,
      color: '#fff',
      weight: 2,
      fillColor: '#3b82f6',
      fillOpacity: 1,
      className: 'my-location',
    });
    const accuracy = L.circle([0, 0], { radius: 1, color: '#3b82f6', weight: 1, fillOpacity: 0.1 });
    let first = true;
    const watch = navigator.geolocation.watchPosition(
      (position) => {
        const { latitude, longitude } = position.coords;
        const metres = Math.min(position.coords.accuracy, 100_000);
        marker.setLatLng([latitude, longitude]).addTo(map);
        accuracy.setLatLng([latitude, longitude]).setRadius(metres).addTo(map);
        if (first) map.setView([latitude, longitude], Math.max(map.getZoom(), 13));
        first = false;
        setProblem(null);
        if (Date.now() - lastReport.current > REPORT_EVERY_MS) {
          lastReport.current = Date.now();
          void endpoints.reportLocation(latitude, longitude, metres).catch(() => {
            lastReport.current = 0;
          });
        }
      },
      (error) => setProblem(error.message || 'Location unavailable'),
      { enableHighAccuracy: true, maximumAge: 30_000 },
    );

    return () => {
      navigator.geolocation.clearWatch(watch);
      marker.remove();
      accuracy.remove();
    };
  }, [on, map, endpoints]);

  const toggle = () => {
    const next = !on;
    localStorage.setItem(OPT_IN_KEY, next ? 'on' : 'off');
    setOn(next);
  };

  return (
    <div className="map-overlay">
      <button type="button" className="chip" aria-pressed={on} onClick={toggle}>
        {on ? 'Sharing my location' : 'Share my location'}
      </button>
      {problem && (
        <span className="chip chip-warn" role="status">
          {problem}
        </span>
      )}
    </div>
  );
}
