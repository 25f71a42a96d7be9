/**
 * The device's IndexedDB database `tocsin`: everything the app keeps for offline reading and
 * sending. Stores:
 *   alerts         the last alerts seen (AlertView, by id), read when offline
 *   meta           small values by key: when the alerts were fetched, my own responses
 *   outbox         responses and chat messages made offline, in order (auto-increment key)
 *   conversations  the last conversation list (by id)
 *   messages       the last messages of each conversation (an array, keyed by conversation id)
 * Logout deletes the whole database (storage/clear-device.ts). Tokens are never stored here.
 */
export const DB_NAME = 'tocsin';
const VERSION = 1;

export type StoreName = 'alerts' | 'meta' | 'outbox' | 'conversations' | 'messages';

let opening: Promise<IDBDatabase> | null = null;
/** Set between logout and the next sign-in: a late write must not recreate the database. */
let locked = false;

export function lockDb(value: boolean): void {
  locked = value;
}

export function openDb(): Promise<IDBDatabase> {
  if (locked) return Promise.reject(new Error('signed out: device storage is closed'));
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('alerts', { keyPath: 'id' });
      db.createObjectStore('meta');
      db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      db.createObjectStore('conversations', { keyPath: 'id' });
      db.createObjectStore('messages');
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab deleting the database (logout) must not be blocked by this connection.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = null;
      reject(request.error ?? new Error('IndexedDB could not be opened'));
    };
  });

  return opening;
}

export function closeDb(): void {
  void opening?.then((db) => db.close());
  opening = null;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function finished(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export async function getAll<T>(store: StoreName): Promise<T[]> {
  const db = await openDb();

  return done(db.transaction(store).objectStore(store).getAll() as IDBRequest<T[]>);
}

export async function getValue<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> {
  const db = await openDb();

  return done(db.transaction(store).objectStore(store).get(key) as IDBRequest<T | undefined>);
}

/** Puts values (with `key` for stores without a key path) in one transaction. */
export async function putValues(
  store: StoreName,
  values: unknown[],
  key?: IDBValidKey,
): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(store, 'readwrite');
  for (const value of values) tx.objectStore(store).put(value, key);

  return finished(tx);
}

/** Replaces a whole store's content in one transaction. */
export async function replaceAll(store: StoreName, values: unknown[]): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).clear();
  for (const value of values) tx.objectStore(store).put(value);

  return finished(tx);
}

export async function deleteValue(store: StoreName, key: IDBValidKey): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).delete(key);

  return finished(tx);
}

export async function addValue(store: StoreName, value: unknown): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).add(value);

  return finished(tx);
}
