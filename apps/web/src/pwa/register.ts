import { registerSW } from 'virtual:pwa-register';
import { Store } from '../lib/external-store';
import { navigate } from '../lib/router';

/** Set when a new version's service worker waits: the app offers a reload. */
export const updateAvailable = new Store<{ apply: (() => Promise<void>) | null }>({ apply: null });

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const update = registerSW({
    onNeedRefresh: () => updateAvailable.set({ apply: () => update(true) }),
  });
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<unknown>) => {
    // A notification was tapped while the app was open: show what it points at.
    const data = event.data as { type?: string; url?: string } | null;
    if (data?.type === 'open' && typeof data.url === 'string' && data.url.startsWith('/')) {
      navigate(data.url);
    }
  });
}
