import type { Endpoints } from '../api/endpoints';

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
  await ep.subscribePush({
    endpoint: json.endpoint,
    keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
  });

  return 'subscribed';
}

/** At logout: this device stops receiving this user's notifications. */
export async function unsubscribePush(): Promise<void> {
  if (!pushSupported()) return;
  // TODO: also DELETE the subscription on the server once the push library exposes that route;
  // until then the server drops it at its next send (the push service answers 404/410).
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
