/// <reference lib="webworker" />
/**
 * The service worker. Caching policy, per asset class:
 *   shell (HTML, JS, CSS, icons, manifest): precached at install from the build's list,
 *     old revisions removed on activate; navigations answer the precached index.html, so the
 *     app starts offline. A new version waits until the user accepts the reload prompt.
 *   map tiles: network first (4 s timeout), falling back to the cache `tocsin-tiles`, at most
 *     400 tiles for 14 days, purged on quota errors; the map of the last place seen still
 *     draws offline, and fresh tiles win when the network answers.
 *   fonts: none are downloaded (system fonts), so nothing to cache.
 *   API data (/api, /socket.io): never cached here: the answers are per user and carry a
 *     bearer token. The page keeps the last alerts and conversations in IndexedDB
 *     (storage/idb.ts), which logout deletes.
 *   source maps: not precached (debugging only).
 * It also shows push notifications and answers clicks on them.
 */
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { notificationFor, parsePushPayload, RESPONSE_ACTIONS } from './pwa/notification';

declare let self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
};

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/^\/api(\/|$)/, /^\/socket\.io(\/|$)/],
  }),
);

const TILE_PATH = /\/\d+\/\d+\/\d+(@2x)?\.(png|jpe?g|webp)$/;
registerRoute(
  ({ request, url }) => request.destination === 'image' && TILE_PATH.test(url.pathname),
  new NetworkFirst({
    cacheName: 'tocsin-tiles',
    networkTimeoutSeconds: 4,
    plugins: [
      // 0: tiles from another origin without CORS are opaque, and still worth keeping.
      new CacheableResponsePlugin({ statuses: [0, 200] }),
      new ExpirationPlugin({
        maxEntries: 400,
        maxAgeSeconds: 14 * 24 * 3600,
        purgeOnQuotaError: true,
      }),
    ],
  }),
);

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

self.addEventListener('push', (event) => {
  event.waitUntil(showPush(event.data?.text() ?? ''));
});

async function showPush(text: string): Promise<void> {
  const payload = parsePushPayload(text);
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  // The alert is on screen already: the page shows it live, a notification would repeat it.
  const onScreen = windows.some(
    (client) =>
      client.visibilityState === 'visible' && new URL(client.url).pathname === payload.url,
  );
  if (onScreen) return;

  const maxActions = (Notification as unknown as { maxActions?: number }).maxActions ?? 0;
  const { title, options } = notificationFor(payload, maxActions);
  // The tag makes a repeated or updated push for the same alert replace its notification.
  await self.registration.showNotification(title, options);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data as { url?: string } | null;
  const path = data?.url?.startsWith('/') ? data.url : '/';
  const action = RESPONSE_ACTIONS.find((candidate) => candidate.action === event.action);
  event.waitUntil(openApp(action ? `${path}?respond=${action.action}` : path));
});

async function openApp(path: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const existing = windows[0];
  if (existing) {
    await existing.focus();
    existing.postMessage({ type: 'open', url: path });

    return;
  }
  await self.clients.openWindow(path);
}
