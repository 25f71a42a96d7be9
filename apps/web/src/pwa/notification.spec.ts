import { describe, expect, it } from 'vitest';
import { notificationFor, parsePushPayload } from './notification';

const alertPush = {
  v: 1,
  kind: 'alert',
  id: 'a1',
  severity: 'Extreme',
  headline: '<b>Flood</b>',
  body: 'Move uphill.',
  url: '/alerts/a1',
};

describe('push notifications', () => {
  it('titles an alert with its severity and keeps markup as text', () => {
    const { title, options } = notificationFor(parsePushPayload(JSON.stringify(alertPush)), 3);

    expect(title).toBe('EXTREME · <b>Flood</b>');
    expect(options).toMatchObject({
      body: 'Move uphill.',
      tag: 'alert-a1',
      requireInteraction: true,
      data: { url: '/alerts/a1' },
    });
    expect(options.actions).toHaveLength(3);
  });

  it('offers no actions where the platform shows none, and none for messages', () => {
    expect(notificationFor(parsePushPayload(JSON.stringify(alertPush)), 0).options.actions).toBe(
      undefined,
    );
    const message = parsePushPayload(JSON.stringify({ ...alertPush, kind: 'message' }));
    expect(notificationFor(message, 3).options.actions).toBe(undefined);
  });

  it('shows a generic notification for a malformed push and never opens another site', () => {
    expect(parsePushPayload('not json')).toEqual({
      kind: 'unknown',
      id: 'unknown',
      headline: 'Tocsin',
      body: '',
      url: '/',
    });
    expect(parsePushPayload(JSON.stringify({ ...alertPush, url: '//evil.example/' })).url).toBe(
      '/',
    );
    expect(
      parsePushPayload(JSON.stringify({ ...alertPush, url: 'https://evil.example' })).url,
    ).toBe('/');
  });
});
