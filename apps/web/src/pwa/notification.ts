/** The push payload (libs/push PushPayloadDto, version 1) and the notification it becomes. */
export interface PushPayload {
  kind: 'alert' | 'message' | 'unknown';
  id: string;
  severity?: string;
  headline: string;
  body: string;
  url: string;
}

export const RESPONSE_ACTIONS = [
  { action: 'responding', title: 'Responding' },
  { action: 'on_scene', title: 'On scene' },
  { action: 'unavailable', title: 'Unavailable' },
] as const;

const text = (value: unknown, fallback: string) =>
  typeof value === 'string' && value.trim() !== '' ? value : fallback;

/** Reads a payload defensively: a malformed push still shows a generic notification. */
export function parsePushPayload(raw: string): PushPayload {
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object') data = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: fall through to the generic notification.
  }
  const kind = data.kind === 'alert' || data.kind === 'message' ? data.kind : 'unknown';
  const url = text(data.url, '/');

  return {
    kind,
    id: text(data.id, 'unknown'),
    ...(typeof data.severity === 'string' ? { severity: data.severity } : {}),
    headline: text(data.headline, 'Tocsin'),
    body: text(data.body, ''),
    url: url.startsWith('/') && !url.startsWith('//') ? url : '/',
  };
}

/** Notifications show text only: the platform never renders HTML in them. */
export function notificationFor(
  payload: PushPayload,
  maxActions: number,
): { title: string; options: NotificationOptions & { actions?: unknown[]; renotify?: boolean } } {
  const urgent = payload.severity === 'Extreme' || payload.severity === 'Severe';
  const title =
    payload.kind === 'alert' && payload.severity
      ? `${payload.severity.toUpperCase()} · ${payload.headline}`
      : payload.headline;

  return {
    title,
    options: {
      body: payload.body,
      tag: `${payload.kind}-${payload.id}`,
      renotify: true,
      requireInteraction: urgent,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: payload.url, kind: payload.kind, id: payload.id },
      ...(payload.kind === 'alert' && maxActions > 0
        ? { actions: RESPONSE_ACTIONS.slice(0, maxActions).map((a) => ({ ...a })) }
        : {}),
    },
  };
}
