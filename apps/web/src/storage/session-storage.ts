/**
 * The session on this device, in localStorage (`tocsin.session`): the refresh token and the
 * signed-in user, so that a reload (or an offline start) knows who is signed in. The access
 * token lives in memory only. Logout removes the key.
 */
import type { MeView } from '@tocsin/contracts';

const KEY = 'tocsin.session';

export interface StoredSession {
  refreshToken: string;
  me: MeView;
}

export function readSession(): StoredSession | null {
  try {
    const raw = localStorage.getItem(KEY);

    return raw ? (JSON.parse(raw) as StoredSession) : null;
  } catch {
    return null;
  }
}

export function writeSession(session: StoredSession): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}
