import type { AlertView } from '@tocsin/contracts';
import { useState } from 'react';
import { navigate } from '../lib/router';
import { notices } from '../state/notices';
import { useServices } from '../state/session';

/** The API's limit on a cancellation reason. */
const REASON_MAX_LENGTH = 500;

/**
 * Update (in the composer) or cancel, with a confirmation step for cancelling that asks why:
 * recipients see the reason with the cancelled alert.
 */
export function DispatcherActions({ alert }: { alert: AlertView }) {
  const { endpoints, alerts } = useServices();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');

  const cancel = async () => {
    try {
      alerts.upsert(await endpoints.cancel(alert.id, reason.trim() || undefined));
    } catch (error) {
      notices.push(`Not cancelled: ${error instanceof Error ? error.message : 'error'}`);
    }
    setConfirming(false);
  };

  return (
    <section className="dispatcher-actions" aria-label="Dispatcher actions">
      <button type="button" onClick={() => navigate(`/compose/${alert.id}`)}>
        Update alert
      </button>
      {confirming ? (
        <>
          <label className="cancel-reason">
            Reason (optional)
            <input
              type="text"
              value={reason}
              maxLength={REASON_MAX_LENGTH}
              onChange={(event) => setReason(event.target.value)}
            />
          </label>
          <button type="button" className="danger" onClick={() => void cancel()}>
            Yes, cancel this alert
          </button>
          <button type="button" className="ghost" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Cancel alert
        </button>
      )}
    </section>
  );
}
