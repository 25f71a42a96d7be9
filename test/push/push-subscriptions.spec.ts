import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '@tocsin/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPushService } from '../support/push-service';
import { startPushTestApp, waitUntil, type PushTestApp } from './push-test-app';

function keys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();

  return {
    p256dh: ecdh.getPublicKey().toString('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
}

describe('push subscriptions refuse what the server must not send to', () => {
  let service: LocalPushService;
  let t: PushTestApp;
  let port: number;

  beforeAll(async () => {
    service = await LocalPushService.start();
    port = Number(new URL(service.origin).port);
    // The local service is listed by address; *.push.test names must resolve publicly.
    t = await startPushTestApp({
      PUSH_ALLOWED_HOSTS: `${service.host},*.push.test,*.push.test:${port}`,
      PUSH_ATTEMPTS: '3',
      PUSH_RETRY_DELAY_MS: '50',
    });
    t.dns.set('loopback.push.test', ['127.0.0.1']);
    t.dns.set('metadata.push.test', ['169.254.169.254']);
    t.dns.set('lan.push.test', ['192.168.1.20']);
    t.dns.set('mixed.push.test', ['93.184.216.34', '10.0.0.7']);
    t.dns.set('v6loop.push.test', ['::1']);
    t.dns.set('mapped.push.test', ['::ffff:127.0.0.1']);
    t.dns.set('ula.push.test', ['fd00::1']);
    t.dns.set('nowhere.push.test', []);
    t.dns.set('public.push.test', ['93.184.216.34']);
  });

  afterAll(async () => {
    await t?.close();
    await service?.close();
  });

  const count = async () =>
    Number((await t.db.query('SELECT count(*) AS n FROM push_subscriptions'))[0].n);

  async function refusal(endpoint: string, body: Record<string, unknown> = {}) {
    const before = await count();
    const error = await t.push
      .subscribe(await t.newUser(), { endpoint, keys: keys(), ...body } as never)
      .then(() => undefined)
      .catch((caught: unknown) => caught);
    expect(await count()).toBe(before);
    expect(error).toBeInstanceOf(DomainError);

    return error as DomainError;
  }

  it.each([
    ['http', () => `http://127.0.0.1:${port}/push/x`, 'push.endpoint_not_https'],
    ['not a URL', () => 'fcm.googleapis.com/fcm/send/x', 'push.endpoint_invalid'],
    [
      'a loopback port not listed',
      () => 'https://127.0.0.1/push/x',
      'push.endpoint_host_not_allowed',
    ],
    [
      '127.0.0.1 on another port',
      () => 'https://127.0.0.1:8443/x',
      'push.endpoint_host_not_allowed',
    ],
    ['localhost', () => `https://localhost:${port}/push/x`, 'push.endpoint_host_not_allowed'],
    ['[::1]', () => `https://[::1]:${port}/push/x`, 'push.endpoint_host_not_allowed'],
    [
      'the metadata address',
      () => 'https://169.254.169.254/latest',
      'push.endpoint_host_not_allowed',
    ],
    ['an unknown host', () => 'https://push.evil.example/x', 'push.endpoint_host_not_allowed'],
    ['credentials', () => 'https://u:p@public.push.test/x', 'push.endpoint_invalid'],
    [
      'a name resolving to loopback',
      () => 'https://loopback.push.test/x',
      'push.endpoint_address_refused',
    ],
    [
      'a name resolving to 169.254.169.254',
      () => 'https://metadata.push.test/x',
      'push.endpoint_address_refused',
    ],
    [
      'a name resolving to the LAN',
      () => 'https://lan.push.test/x',
      'push.endpoint_address_refused',
    ],
    [
      'a name with one private address',
      () => 'https://mixed.push.test/x',
      'push.endpoint_address_refused',
    ],
    [
      'a name resolving to ::1',
      () => 'https://v6loop.push.test/x',
      'push.endpoint_address_refused',
    ],
    [
      'an IPv4-mapped loopback',
      () => 'https://mapped.push.test/x',
      'push.endpoint_address_refused',
    ],
    ['a unique-local address', () => 'https://ula.push.test/x', 'push.endpoint_address_refused'],
    [
      'a name that does not resolve',
      () => 'https://nowhere.push.test/x',
      'push.endpoint_unresolvable',
    ],
  ])('refuses %s', async (_label, endpoint, code) => {
    const error = await refusal(endpoint());

    expect(error.kind).toBe('invalid');
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
  });

  const point = createECDH('prime256v1');
  point.generateKeys();
  const goodKey = point.getPublicKey().toString('base64url');

  it.each([
    ['p256dh with padding', { p256dh: `${goodKey}=`, auth: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    [
      'p256dh in plain base64',
      {
        p256dh: goodKey.replace(/-/g, '+').replace(/_/g, '/') + '+/',
        auth: 'AAAAAAAAAAAAAAAAAAAAAA',
      },
    ],
    [
      'a compressed point',
      {
        p256dh: point.getPublicKey(undefined, 'compressed').toString('base64url'),
        auth: 'AAAAAAAAAAAAAAAAAAAAAA',
      },
    ],
    [
      'a point off the curve',
      {
        p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url'),
        auth: 'AAAAAAAAAAAAAAAAAAAAAA',
      },
    ],
    ['a short auth', { p256dh: goodKey, auth: randomBytes(12).toString('base64url') }],
    ['a long auth', { p256dh: goodKey, auth: randomBytes(32).toString('base64url') }],
    ['auth not base64url', { p256dh: goodKey, auth: 'AAAAAAAAAAAAAAAAAAAA.A' }],
    ['missing keys', { p256dh: undefined, auth: undefined }],
  ])('refuses %s', async (_label, badKeys) => {
    const endpoint = service.subscribe().endpoint;

    const error = await refusal(endpoint, { keys: badKeys });

    expect(error.code).toMatch(/^push\.(key|auth)_invalid$/);
  });

  it('stores a good subscription, lists it to its owner only, and removes it', async () => {
    const userId = await t.newUser();
    const sub = service.subscribe();

    const view = await t.push.subscribe(userId, sub, 'Firefox');

    expect(await t.push.listOwn(userId)).toEqual([view]);
    expect(view).toMatchObject({ endpointOrigin: service.origin, userAgent: 'Firefox' });
    expect(await t.push.listOwn(randomUUID())).toEqual([]);
    await expect(t.push.remove(randomUUID(), view.id)).rejects.toMatchObject({
      kind: 'not_found',
    });
    await t.push.remove(userId, view.id);
    expect(await t.push.listOwn(userId)).toEqual([]);
  });

  it('checks the address again at send time (a name that rebinds to loopback)', async () => {
    const userId = await t.newUser();
    t.dns.set('rebind.push.test', ['93.184.216.34']);
    await t.push.subscribe(userId, {
      endpoint: `https://rebind.push.test:${port}/push/rebind`,
      keys: keys(),
    });
    t.dns.set('rebind.push.test', ['127.0.0.1']);
    const alertId = randomUUID();

    await t.push.notifyAlert([userId], { id: alertId, headline: 'rebinding' });
    await waitUntil(
      async () =>
        (await t.db.query('SELECT status FROM push_deliveries WHERE subject_id = $1', [alertId]))[0]
          ?.status === 'failed',
    );

    const [row] = await t.db.query('SELECT * FROM push_deliveries WHERE subject_id = $1', [
      alertId,
    ]);
    expect(row).toMatchObject({ attempts: 1, status_code: null });
    expect(service.received.filter((push) => push.path === '/push/rebind')).toEqual([]);
  });
});
