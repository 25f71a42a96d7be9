import type { AlertView, RecipientView, ResponseStatus } from '@tocsin/contracts';
import { RESPONSE_STATUSES } from '@tocsin/contracts';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { NetworkError } from '../api/http';
import { formatTime } from '../lib/format';
import { useStore } from '../lib/external-store';
import { navigate } from '../lib/router';
import { AlertAreasLayer } from '../map/AlertAreasLayer';
import { MapView } from '../map/MapView';
import { SENDER_ROLES, STAFF_ROLES } from '../state/services';
import { useServices } from '../state/session';
import { DispatcherActions } from './DispatcherActions';
import { ResponseButtons } from './ResponseButtons';
import { SeverityBadge } from './SeverityBadge';
import { TallyPanel } from './TallyPanel';

/** One alert: what, where, what to do, my answer, and for staff who answered what. */
export function AlertDetail({ id }: { id: string }) {
  const { alerts, endpoints, me } = useServices();
  const { list } = useStore(alerts.store);
  const alert = list.find((candidate) => candidate.id === id);
  const [missing, setMissing] = useState(false);
  // Staff answer only when they are recipients themselves; responders always may.
  const staff = STAFF_ROLES.includes(me.role);
  const [amRecipient, setAmRecipient] = useState(!staff);
  const onRecipients = useCallback(
    (recipients: RecipientView[]) => setAmRecipient(recipients.some((r) => r.userId === me.id)),
    [me.id],
  );

  useEffect(() => {
    endpoints.alert(id).then(
      (fresh) => alerts.upsert(fresh),
      (error: unknown) => {
        if (!(error instanceof NetworkError)) setMissing(true);
      },
    );
  }, [id, alerts, endpoints]);

  useRespondFromNotification(id, (status) => void alerts.respond(id, status));

  if (!alert) {
    return <p role="status">{missing ? 'This alert is not available.' : 'Loading the alert…'}</p>;
  }
  const ownAgency = alert.agencyId === me.agencyId;

  return (
    <article className="alert-detail" aria-labelledby="alert-headline">
      <button type="button" className="ghost back" onClick={() => navigate('/')}>
        ← Alerts
      </button>
      <p className="alert-meta">
        <SeverityBadge severity={alert.severity} />
        <span>{alert.urgency}</span>
        <span>{alert.certainty}</span>
        {alert.state !== 'active' && <span className="tag">{alert.state}</span>}
      </p>
      <h1 id="alert-headline" className="alert-title">
        {alert.headline}
      </h1>
      <p className="muted">
        {alert.event} · sent {formatTime(alert.sent)} · until {formatTime(alert.expires)}
      </p>
      <AlertMap alert={alert} />
      {alert.state === 'cancelled' && alert.cancelReason && (
        <Section title="Why it was cancelled" text={alert.cancelReason} />
      )}
      {alert.description && <Section title="What is happening" text={alert.description} />}
      {alert.instruction && <Section title="What to do" text={alert.instruction} />}
      <p className="muted">Area: {alert.areas.map((area) => area.areaDesc).join(', ')}</p>
      {alert.state === 'active' && amRecipient && <ResponseButtons alertId={alert.id} />}
      {ownAgency && staff && <TallyPanel alertId={alert.id} onRecipients={onRecipients} />}
      {ownAgency && SENDER_ROLES.includes(me.role) && alert.state === 'active' && (
        <DispatcherActions alert={alert} />
      )}
    </article>
  );
}

function AlertMap({ alert }: { alert: AlertView }) {
  const shown = useMemo(() => [alert], [alert]);

  return (
    <MapView label="Area of this alert" className="map-detail">
      <AlertAreasLayer alerts={shown} fit="always" />
    </MapView>
  );
}

function Section({ title, text }: { title: string; text: string }) {
  return (
    <section>
      <h2>{title}</h2>
      <p className="prose">{text}</p>
    </section>
  );
}

/** A response chosen on a notification arrives as `?respond=<status>`: send it once. */
function useRespondFromNotification(id: string, respond: (status: ResponseStatus) => void) {
  useEffect(() => {
    const status = new URLSearchParams(window.location.search).get('respond');
    if (!status) return;
    navigate(`/alerts/${id}`, true);
    if ((RESPONSE_STATUSES as readonly string[]).includes(status)) {
      respond(status as ResponseStatus);
    }
    // Once per alert screen: `respond` changes identity on every render.
  }, [id]);
}
