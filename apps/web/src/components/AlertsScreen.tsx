import { useCallback, useMemo } from 'react';
import { useStore } from '../lib/external-store';
import { navigate } from '../lib/router';
import { AlertAreasLayer } from '../map/AlertAreasLayer';
import { MapView } from '../map/MapView';
import { MyLocationControl } from '../map/MyLocationControl';
import { ResponderPositionsLayer } from '../map/ResponderPositionsLayer';
import { STAFF_ROLES } from '../state/services';
import { useServices } from '../state/session';
import { AlertInbox } from './AlertInbox';

/** The home screen: the map of active alerts above the inbox. */
export function AlertsScreen() {
  const { alerts, endpoints, me } = useServices();
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
        {STAFF_ROLES.includes(me.role) && <ResponderPositionsLayer endpoints={endpoints} />}
      </MapView>
      <AlertInbox />
    </div>
  );
}
