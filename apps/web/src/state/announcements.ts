import type { AlertView } from '@tocsin/contracts';

/**
 * Which alert events the user has already been told about on this page. The server delivers
 * at least once: a socket that reconnects is sent every event it has not acknowledged, and
 * the live copy of the same event may cross that catch-up. An event is one (alert, seq), so
 * each is announced once however many times it arrives.
 */
export class Announcements {
  private readonly seen = new Set<string>();

  /** True the first time this event arrives, false for every repeat. */
  firstTime(alert: Pick<AlertView, 'id' | 'seq'>): boolean {
    const key = `${alert.id}:${alert.seq}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);

    return true;
  }
}
