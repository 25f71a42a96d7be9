import { Store } from '../lib/external-store';

/**
 * Whether the server is reachable: false when the browser says offline or the last request
 * failed to reach the server, true again on the next answer.
 */
export const connectivity = new Store<{ online: boolean }>({ online: navigator.onLine });

export function setReachable(online: boolean): void {
  if (connectivity.get().online !== online) connectivity.set({ online });
}

window.addEventListener('offline', () => setReachable(false));
window.addEventListener('online', () => setReachable(true));
