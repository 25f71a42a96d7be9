import { MAX_RECEIVED_ALERTS, type ReceivedAlerts } from './socket-events';

/**
 * The alerts this client has handled, each with the highest seq it has, sent in the
 * handshake's `auth.received` so that the catch-up after a reconnect does not send them again
 * (their acknowledgement may have died with a server process). Only the newest
 * {@link MAX_RECEIVED_ALERTS} are kept: older ones are long acknowledged, and a larger marker
 * is ignored by the server. The PWA and the reconnect benchmark's clients both keep one.
 */
export class ReceivedLog {
  private readonly seqs = new Map<string, number>();

  /** Called once the client has handled an alert event (when it acknowledges it). */
  note(alertId: string, seq: number): void {
    if (!Number.isInteger(seq) || seq < 1) return;
    const known = this.seqs.get(alertId) ?? 0;
    // Re-inserted, so that the Map's order is the order of last use: the oldest go first.
    this.seqs.delete(alertId);
    this.seqs.set(alertId, Math.max(known, seq));
    if (this.seqs.size > MAX_RECEIVED_ALERTS) {
      this.seqs.delete(this.seqs.keys().next().value as string);
    }
  }

  toAuth(): ReceivedAlerts {
    return Object.fromEntries(this.seqs);
  }
}
