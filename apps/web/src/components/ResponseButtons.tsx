import type { ResponseStatus } from '@tocsin/contracts';
import { useState } from 'react';
import { RESPONSE_LABELS } from '../lib/format';
import { useStore } from '../lib/external-store';
import { useServices } from '../state/session';

const ETAS = [5, 10, 15, 20, 30, 45, 60];

/** One tap to answer; the answer is kept and sent in order even offline. */
export function ResponseButtons({ alertId }: { alertId: string }) {
  const { alerts } = useServices();
  const mine = useStore(alerts.store).mine[alertId];
  const [eta, setEta] = useState(10);

  const answer = (status: ResponseStatus, etaMinutes?: number) =>
    void alerts.respond(alertId, status, etaMinutes);
  const pressed = (status: ResponseStatus) => mine?.status === status;

  return (
    <section className="responses" aria-labelledby="respond-title">
      <h2 id="respond-title">Your answer</h2>
      <div className="response-row">
        <button
          type="button"
          className="response responding"
          aria-pressed={pressed('responding')}
          onClick={() => answer('responding', eta)}
        >
          Responding
        </button>
        <label className="eta">
          ETA
          <select value={eta} onChange={(event) => setEta(Number(event.target.value))}>
            {ETAS.map((minutes) => (
              <option key={minutes} value={minutes}>
                {minutes} min
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="response-row">
        <button
          type="button"
          className="response on-scene"
          aria-pressed={pressed('on_scene')}
          onClick={() => answer('on_scene')}
        >
          On scene
        </button>
        <button
          type="button"
          className="response unavailable"
          aria-pressed={pressed('unavailable')}
          onClick={() => answer('unavailable')}
        >
          Unavailable
        </button>
      </div>
      <p className="muted" role="status" data-testid="my-response">
        {mine
          ? `${RESPONSE_LABELS[mine.status]}${mine.etaMinutes ? `, ETA ${mine.etaMinutes} min` : ''}` +
            (mine.sent ? ' — sent' : ' — waiting to send')
          : 'Not answered yet'}
      </p>
    </section>
  );
}
