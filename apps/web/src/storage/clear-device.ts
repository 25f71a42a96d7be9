import { closeDb, DB_NAME, lockDb } from './idb';
import { clearSession } from './session-storage';

/** Cache Storage caches that hold nothing about the user (map tiles) and survive logout. */
const KEPT_CACHES = /^(workbox-precache|tocsin-tiles)/;

/**
 * Logout: removes everything this user left on the device: the session, the IndexedDB
 * database (alerts, chat, outbox) and any Cache Storage cache other than the shell and tiles.
 */
export async function clearDevice(): Promise<void> {
  clearSession();
  lockDb(true);
  closeDb();
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
  if ('caches' in window) {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => !KEPT_CACHES.test(n)).map((n) => caches.delete(n)));
  }
}
