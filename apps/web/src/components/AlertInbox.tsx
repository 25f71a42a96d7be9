import { formatTime, RESPONSE_LABELS } from '../lib/format';
import { useStore } from '../lib/external-store';
import { navigate } from '../lib/router';
import { useServices } from '../state/session';
import { SeverityBadge } from './SeverityBadge';

/** The alerts, newest first, with my answer to each. */
export function AlertInbox() {
  const { alerts } = useServices();
  const { list, loaded, mine } = useStore(alerts.store);

  return (
    <section className="inbox" aria-labelledby="inbox-title">
      <h2 id="inbox-title">Inbox</h2>
      {loaded && list.length === 0 && <p className="muted">No alerts. All quiet.</p>}
      <ul className="alert-list">
        {list.map((alert) => (
          <li key={alert.id} className={`alert-item state-${alert.state}`}>
            <a
              href={`/alerts/${alert.id}`}
              onClick={(event) => {
                event.preventDefault();
                navigate(`/alerts/${alert.id}`);
              }}
            >
              <span className="alert-item-top">
                <SeverityBadge severity={alert.severity} />
                <span className="muted">{alert.event}</span>
                <time dateTime={alert.sent}>{formatTime(alert.sent)}</time>
              </span>
              <span className="alert-headline">{alert.headline}</span>
              <span className="alert-item-bottom muted">
                {alert.state !== 'active' && <span className="tag">{alert.state}</span>}
                {mine[alert.id] && (
                  <span className="tag tag-mine">
                    {RESPONSE_LABELS[mine[alert.id].status]}
                    {mine[alert.id].sent ? '' : ' (waiting to send)'}
                  </span>
                )}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
