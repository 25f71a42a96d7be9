import type { RecipientView, ResponseTally } from '@tocsin/contracts';
import { useEffect, useState } from 'react';
import { RESPONSE_LABELS } from '../lib/format';
import { useStore } from '../lib/external-store';
import { useServices } from '../state/session';

const ROWS: { key: keyof ResponseTally; label: string }[] = [
  { key: 'responding', label: 'Responding' },
  { key: 'on_scene', label: 'On scene' },
  { key: 'acknowledged', label: 'Acknowledged' },
  { key: 'unavailable', label: 'Unavailable' },
  { key: 'silent', label: 'No answer' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'recipients', label: 'Recipients' },
];

/** For staff: who answered what, live from `alert.response` events. */
export function TallyPanel({
  alertId,
  onRecipients,
}: {
  alertId: string;
  /** Called with the recipients whenever they are fetched. */
  onRecipients?: (recipients: RecipientView[]) => void;
}) {
  const { alerts, endpoints } = useServices();
  const liveTally = useStore(alerts.store).tallies[alertId];
  const [recipients, setRecipients] = useState<RecipientView[]>([]);

  useEffect(() => {
    let live = true;
    endpoints.recipients(alertId).then(
      (result) => {
        if (!live) return;
        setRecipients(result.recipients);
        onRecipients?.(result.recipients);
        if (!alerts.store.get().tallies[alertId]) alerts.setTally(alertId, result.tally);
      },
      () => undefined,
    );

    return () => {
      live = false;
    };
    // A new tally means someone answered: fetch the names again.
  }, [alertId, alerts, endpoints, liveTally, onRecipients]);

  return (
    <section className="tally" aria-labelledby="tally-title">
      <h2 id="tally-title">Answers</h2>
      {liveTally ? (
        <dl className="tally-grid" aria-live="polite" data-testid="tally">
          {ROWS.map((row) => (
            <div key={row.key} className={`tally-cell tally-${row.key}`}>
              <dt>{row.label}</dt>
              <dd>{liveTally[row.key]}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">Loading…</p>
      )}
      <ul className="recipient-list">
        {recipients.map((recipient) => (
          <li key={recipient.userId}>
            <span>{recipient.displayName}</span>
            <span className="muted">
              {recipient.response ? RESPONSE_LABELS[recipient.response] : 'no answer'}
              {recipient.etaMinutes !== null ? `, ETA ${recipient.etaMinutes} min` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
