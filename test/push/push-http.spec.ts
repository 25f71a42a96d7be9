import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgency,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { LocalPushService } from '../support/push-service';
import { request, startTestApp, type TestApp } from '../support/test-app';

describe('push routes', () => {
  let push: LocalPushService;
  let api: TestApp;
  let agency: TestAgency;

  beforeAll(async () => {
    push = await LocalPushService.start();
    api = await startTestApp(identityEnv({ PUSH_ALLOWED_HOSTS: push.host }));
    agency = await createAgency(api.url, (await loginOperator(api.url)).accessToken);
  });

  afterAll(async () => {
    await api?.close();
    await push?.close();
  });

  const subscribe = (token: string, body: unknown) =>
    request(`${api.url}/api/push/subscriptions`, { method: 'POST', token, body });

  it('gives the VAPID public key to anyone', async () => {
    const { status, body } = await request(`${api.url}/api/push/vapid-public-key`);

    expect(status).toBe(200);
    expect(Buffer.from(body.publicKey, 'base64url')).toHaveLength(65);
  });

  it('refuses malformed and unsafe subscriptions with 400 and stores nothing', async () => {
    const token = agency.users.responder.accessToken;
    const good = push.subscribe();
    const bad: unknown[] = [
      {},
      { endpoint: good.endpoint },
      { endpoint: good.endpoint, keys: { p256dh: good.keys.p256dh } },
      { endpoint: good.endpoint, keys: { p256dh: 'AAAA', auth: good.keys.auth } },
      { endpoint: good.endpoint, keys: { p256dh: good.keys.p256dh, auth: 'not base64url!' } },
      { endpoint: 'not a url', keys: good.keys },
      { endpoint: good.endpoint.replace('https:', 'http:'), keys: good.keys },
      { endpoint: 'https://169.254.169.254/latest', keys: good.keys },
      { endpoint: 'https://localhost/push', keys: good.keys },
      { endpoint: 'https://push.example.invalid/x', keys: good.keys },
      { endpoint: good.endpoint, keys: good.keys, extra: true },
      [good],
    ];
    for (const body of bad) {
      const { status } = await subscribe(token, body);
      expect({ body, status }).toEqual({ body, status: 400 });
    }

    expect((await request(`${api.url}/api/push/subscriptions`, { token })).body).toEqual([]);
  });

  it('stores a device for its user only, and lets only that user remove it', async () => {
    const device = push.subscribe();
    const created = await subscribe(agency.users.responder.accessToken, {
      endpoint: device.endpoint,
      keys: device.keys,
    });
    expect(created.status).toBe(201);

    const mine = await request(`${api.url}/api/push/subscriptions`, {
      token: agency.users.responder.accessToken,
    });
    const theirs = await request(`${api.url}/api/push/subscriptions`, {
      token: agency.users.observer.accessToken,
    });
    expect(mine.body.map((s: { id: string }) => s.id)).toEqual([created.body.id]);
    expect(theirs.body).toEqual([]);

    const stolen = await request(`${api.url}/api/push/subscriptions/${created.body.id}`, {
      method: 'DELETE',
      token: agency.users.observer.accessToken,
    });
    expect(stolen.status).toBe(404);
    const removed = await request(`${api.url}/api/push/subscriptions/${created.body.id}`, {
      method: 'DELETE',
      token: agency.users.responder.accessToken,
    });
    expect(removed.status).toBe(204);
  });

  it('refuses anonymous callers', async () => {
    expect((await request(`${api.url}/api/push/subscriptions`)).status).toBe(401);
  });
});
