/**
 * Web Push on this device. The server's id of this device's subscription is kept in
 * localStorage (`tocsin.pushSubscriptionId`) so that logout can unregister it; removed then.
 */
import type { Endpoints } from '../api/endpoints';

const SUBSCRIPTION_KEY = 'tocsin.pushSubscriptionId';

export type PushState = 'unsupported' | 'denied' | 'subscribed' | 'available';

export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

export async function currentPushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();

  return subscription && Notification.permission === 'granted' ? 'subscribed' : 'available';
}

/**
 * Asks for notification permission (call it from a user's tap, never on load), subscribes
 * with the server's VAPID key and registers the subscription with the server.
 */
export async function enablePush(ep: Endpoints): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission === 'denied' ? 'denied' : 'available';

  const registration = await navigator.serviceWorker.ready;
  const { publicKey } = await ep.vapidKey();
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: base64UrlToBytes(publicKey),
    }));
  const json = subscription.toJSON();
  if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth) {
    throw new Error('the browser gave an incomplete push subscription');
  }
  const registered = await ep.subscribePush({
    endpoint: json.endpoint,
    keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
  });
  localStorage.setItem(SUBSCRIPTION_KEY, registered.id);

  return 'subscribed';
}

/**
 * At logout, while the session still holds: this device stops receiving this user's
 * notifications, on the server and in the browser.
 */
export async function unsubscribePush(ep: Endpoints): Promise<void> {
  const id = localStorage.getItem(SUBSCRIPTION_KEY);
  localStorage.removeItem(SUBSCRIPTION_KEY);
  // Offline: the server drops the subscription at its next send (the push service answers 410).
  if (id) await ep.unsubscribePush(id).catch(() => undefined);
  if (!pushSupported()) return;
  const registration = await navigator.serviceWorker.getRegistration();
  await (await registration?.pushManager.getSubscription())?.unsubscribe().catch(() => false);
}

function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);

  return bytes;
}
