import { useCallback, useMemo } from 'react';
import { useStore } from '../lib/external-store';
import { navigate } from '../lib/router';
import { AlertAreasLayer } from '../map/AlertAreasLayer';
import { MapView } from '../map/MapView';
import { MyLocationControl } from '../map/MyLocationControl';
import { useServices } from '../state/session';
import { AlertInbox } from './AlertInbox';

/** The home screen: the map of active alerts above the inbox. */
export function AlertsScreen() {
  const { alerts, endpoints } = useServices();
  const { list } = useStore(alerts.store);
  // Memoised: the layer redraws only when the alerts change, not on every store update.
  const active = useMemo(() => list.filter((alert) => alert.state === 'active'), [list]);
  const open = useCallback((id: string) => navigate(`/alerts/${id}`), []);

  return (
    <div className="alerts-screen">
      <h1 className="visually-hidden">Alerts</h1>
      <MapView label="Map of active alerts" className="map-home">
        <AlertAreasLayer alerts={active} onOpen={open} fit="first" />
        <MyLocationControl endpoints={endpoints} />
        {/* TODO: responders' positions for dispatchers, once the API lists them (libs/alerts
            keeps the latest position per user but exposes no route to read them). */}
      </MapView>
      <AlertInbox />
    </div>
  );
}
