import { randomUUID } from 'node:crypto';
import { pushTopic, PushWorker, PUSH_PAYLOAD_MAX_BYTES, VapidKeysService } from '@tocsin/push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPushService, type TestSubscription } from '../support/push-service';
import { startPushTestApp, waitUntil, type PushTestApp } from './push-test-app';

describe('Web Push delivery through the local HTTPS push service', () => {
  let service: LocalPushService;
  let t: PushTestApp;
  let vapidPublicKey: string;

  beforeAll(async () => {
    service = await LocalPushService.start();
    t = await startPushTestApp({
      PUSH_ALLOWED_HOSTS: service.host,
      PUSH_RETRY_DELAY_MS: '100',
      PUSH_ATTEMPTS: '4',
      VAPID_SUBJECT: 'mailto:ops@agency.example',
    });
    vapidPublicKey = await t.app.get(VapidKeysService).publicKey();
  });

  afterAll(async () => {
    await t?.close();
    await service?.close();
  });

  async function device(owner?: string): Promise<{ userId: string; sub: TestSubscription }> {
    const userId = owner ?? (await t.newUser());
    const sub = service.subscribe();
    await t.push.subscribe(userId, sub, 'Mozilla/5.0 (test)');

    return { userId, sub };
  }

  const delivery = async (subjectId: string) =>
    (await t.db.query('SELECT * FROM push_deliveries WHERE subject_id = $1', [subjectId]))[0];

  it('delivers an alert: decrypted payload, VAPID, TTL, Urgency and Topic', async () => {
    const { userId, sub } = await device();
    const alertId = randomUUID();
    const expires = new Date(Date.now() + 2 * 3600 * 1000);

    const queued = await t.push.notifyAlert([userId], {
      id: alertId,
      severity: 'Extreme',
      headline: 'Flash flood warning',
      summary: 'Leave the river bank now.',
      expires,
    });
    const [push] = await service.waitFor(sub, 1);

    expect(queued.deliveries).toBe(1);
    expect(push.problem).toBeUndefined();
    expect(JSON.parse(push.plaintext!)).toEqual({
      v: 1,
      kind: 'alert',
      id: alertId,
      severity: 'Extreme',
      headline: 'Flash flood warning',
      body: 'Leave the river bank now.',
      url: `/alerts/${alertId}`,
    });
    expect(Number(push.ttl)).toBeGreaterThan(7100);
    expect(Number(push.ttl)).toBeLessThanOrEqual(7200);
    expect(push.urgency).toBe('high');
    expect(push.topic).toBe(pushTopic('alert', alertId));
    expect(push.topic!.length).toBeLessThanOrEqual(32);
    expect(push.vapid).toMatchObject({ k: vapidPublicKey, sub: 'mailto:ops@agency.example' });
    expect(push.vapid.aud).toBe(service.origin);

    await waitUntil(async () => (await delivery(alertId))?.status === 'sent');
    const figures = await t.push.figures({ kind: 'alert', id: alertId });
    expect(figures).toMatchObject({ sent: 1, failed: 0, removed: 0, pending: 0 });
    expect(figures.medianMsToAccepted).toBeGreaterThanOrEqual(0);
    expect(figures.maxMsToAccepted).toBeGreaterThanOrEqual(figures.medianMsToAccepted!);
  });

  it('sends a moderate alert without expiry at normal urgency for a day', async () => {
    const { userId, sub } = await device();

    await t.push.notifyAlert([userId], { id: randomUUID(), severity: 'Moderate', headline: 'x' });
    const [push] = await service.waitFor(sub, 1);

    expect(push.urgency).toBe('normal');
    expect(Number(push.ttl)).toBeGreaterThan(86_300);
  });

  it.each([410, 404])('removes the subscription when the push service answers %i', async (code) => {
    const { userId, sub } = await device();
    service.script(sub, { status: code });
    const alertId = randomUUID();

    await t.push.notifyAlert([userId], { id: alertId, headline: 'gone' });
    await service.waitFor(sub, 1);
    await waitUntil(async () => (await delivery(alertId))?.status === 'removed');

    expect(await t.push.listOwn(userId)).toEqual([]);
    expect(await delivery(alertId)).toMatchObject({ status_code: code, attempts: 1 });
    expect(await t.push.figures({ kind: 'alert', id: alertId })).toMatchObject({ removed: 1 });
  });

  it('retries a 429 after its Retry-After', async () => {
    const { userId, sub } = await device();
    service.script(sub, { status: 429, retryAfter: '1' });
    const alertId = randomUUID();

    await t.push.notifyAlert([userId], { id: alertId, headline: 'slow down' });
    const pushes = await service.waitFor(sub, 2);
    await waitUntil(async () => (await delivery(alertId))?.status === 'sent');

    expect(pushes.map((push) => push.status)).toEqual([429, 201]);
    expect(pushes[1].at - pushes[0].at).toBeGreaterThanOrEqual(950);
    expect(await delivery(alertId)).toMatchObject({ attempts: 2, status_code: 201 });
  });

  it('retries a 5xx with growing pauses', async () => {
    const { userId, sub } = await device();
    service.script(sub, { status: 500 }, { status: 503 });
    const alertId = randomUUID();

    await t.push.notifyAlert([userId], { id: alertId, headline: 'flaky' });
    const pushes = await service.waitFor(sub, 3);
    await waitUntil(async () => (await delivery(alertId))?.status === 'sent');

    expect(pushes.map((push) => push.status)).toEqual([500, 503, 201]);
    expect(pushes[1].at - pushes[0].at).toBeGreaterThanOrEqual(95);
    expect(pushes[2].at - pushes[1].at).toBeGreaterThanOrEqual(195);
  });

  it('records a 400 as failed, does not retry it, and keeps the subscription', async () => {
    const { userId, sub } = await device();
    service.script(sub, { status: 400 });
    const alertId = randomUUID();

    await t.push.notifyAlert([userId], { id: alertId, headline: 'bad' });
    await waitUntil(async () => (await delivery(alertId))?.status === 'failed');
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(service.pushesTo(sub)).toHaveLength(1);
    const [kept] = await t.push.listOwn(userId);
    expect(kept).toMatchObject({ failureCount: 1, successCount: 0 });
    expect(await t.push.figures({ kind: 'alert', id: alertId })).toMatchObject({ failed: 1 });
  });

  it('keeps a large alert under the size limit', async () => {
    const { userId, sub } = await device();
    const alertId = randomUUID();

    await t.push.notifyAlert([userId], {
      id: alertId,
      severity: 'Severe',
      headline: '🚨 "Évacuation" <immédiate> '.repeat(400),
      summary: 'Ω\u0000\\"'.repeat(50_000),
    });
    const [push] = await service.waitFor(sub, 1);
    const payload = JSON.parse(push.plaintext!);

    expect(Buffer.byteLength(push.plaintext!)).toBeLessThanOrEqual(PUSH_PAYLOAD_MAX_BYTES);
    expect(push.encryptedBytes).toBeLessThan(4096);
    expect(payload.headline.endsWith('…')).toBe(true);
    expect(payload.headline.startsWith('🚨 "Évacuation"')).toBe(true);
    expect(payload.body.length).toBeGreaterThan(0);
  });

  it('pushes a message only to members without a live socket, one topic per conversation', async () => {
    const online = await device();
    const offline = await device();
    const conversationId = randomUUID();

    for (const text of ['first', 'second']) {
      await t.push.notifyMessage([online.userId, offline.userId], {
        conversationId,
        messageId: randomUUID(),
        title: 'Engine 7',
        text,
        skipUserIds: [online.userId],
      });
    }
    const pushes = await service.waitFor(offline.sub, 2);

    expect(service.pushesTo(online.sub)).toHaveLength(0);
    expect(pushes.map((push) => push.topic)).toEqual([
      pushTopic('conversation', conversationId),
      pushTopic('conversation', conversationId),
    ]);
    expect(JSON.parse(pushes[0].plaintext!)).toMatchObject({
      kind: 'message',
      id: conversationId,
      url: `/conversations/${conversationId}`,
    });
  });

  it('pushes an event once even when it is handed over twice', async () => {
    const { userId, sub } = await device();
    const alertId = randomUUID();
    const eventId = `outbox-${randomUUID()}`;

    await t.push.notifyAlert([userId], { id: alertId, headline: 'once', eventId });
    await t.push.notifyAlert([userId], { id: alertId, headline: 'once', eventId });
    await service.waitFor(sub, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(service.pushesTo(sub)).toHaveLength(1);
  });

  it('gives a re-subscribed endpoint to its new user', async () => {
    const first = await device();
    const secondUser = await t.newUser();

    await t.push.subscribe(secondUser, first.sub);

    expect(await t.push.listOwn(first.userId)).toEqual([]);
    expect(await t.push.listOwn(secondUser)).toHaveLength(1);
    await t.push.notifyAlert([first.userId], { id: randomUUID(), headline: 'not yours' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(service.pushesTo(first.sub)).toHaveLength(0);
  });

  it('records concurrent outcomes together without losing a count', async () => {
    const { userId, sub } = await device();
    const other = await device();
    service.script(other.sub, { status: 400 });
    const alertIds = [randomUUID(), randomUUID(), randomUUID()];

    await Promise.all(
      alertIds.map((id) => t.push.notifyAlert([userId, other.userId], { id, headline: 'many' })),
    );
    await service.waitFor(sub, 3);
    await waitUntil(async () => {
      const all = await Promise.all(alertIds.map((id) => t.push.figures({ kind: 'alert', id })));

      return all.every((figures) => figures.pending === 0);
    });

    expect(await t.push.listOwn(userId)).toMatchObject([{ successCount: 3, failureCount: 0 }]);
    expect(await t.push.listOwn(other.userId)).toMatchObject([
      { successCount: 2, failureCount: 1 },
    ]);
  });

  it('fans out past one chunk: each device once, even when its deliveries are queued twice', async () => {
    const userIds = await Promise.all(Array.from({ length: 300 }, () => t.newUser()));
    const subs = userIds.map(() => service.subscribe());
    await t.db.query(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
      [
        userIds,
        subs.map((s) => s.endpoint),
        subs.map((s) => s.keys.p256dh),
        subs.map((s) => s.keys.auth),
      ],
    );
    const alertId = randomUUID();

    const queued = await t.push.notifyAlert(userIds, { id: alertId, headline: 'everyone' });
    // A second hand-over of the same deliveries (a repeated job, a resume): claims stop doubles.
    const rows = await t.db.query('SELECT id FROM push_deliveries WHERE subject_id = $1', [
      alertId,
    ]);
    await t.push.enqueue(
      rows.map((row: { id: string }) => row.id),
      0,
    );
    await waitUntil(
      async () => (await t.push.figures({ kind: 'alert', id: alertId })).pending === 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(queued.deliveries).toBe(300);
    expect(subs.map((sub) => service.pushesTo(sub).length)).toEqual(subs.map(() => 1));
    expect(await t.push.figures({ kind: 'alert', id: alertId })).toMatchObject({ sent: 300 });
    const [counts] = await t.db.query(
      'SELECT min(attempts)::int AS min, max(attempts)::int AS max FROM push_deliveries WHERE subject_id = $1',
      [alertId],
    );
    expect(counts).toEqual({ min: 1, max: 1 });
  });

  it('after a restart, resumes what a dead process claimed, not what this one is sending', async () => {
    const lost = await device();
    const busy = await device();
    const [lostAlert, busyAlert] = [randomUUID(), randomUUID()];
    await t.push.notifyAlert([lost.userId], { id: lostAlert, headline: 'lost' });
    await t.push.notifyAlert([busy.userId], { id: busyAlert, headline: 'busy' });
    await waitUntil(async () => (await delivery(busyAlert))?.status === 'sent');
    await waitUntil(async () => (await delivery(lostAlert))?.status === 'sent');
    // Both claimed and never recorded: one by a process gone a minute ago, one by this one.
    await t.db.query(
      `UPDATE push_deliveries SET status = 'pending',
              updated_at = CASE WHEN subject_id = $1 THEN now() - interval '1 minute' ELSE now() END
        WHERE subject_id = ANY($2::uuid[])`,
      [lostAlert, [lostAlert, busyAlert]],
    );

    await t.app.get(PushWorker).resume(new Date(Date.now() - 30_000));
    await waitUntil(async () => (await delivery(lostAlert))?.status === 'sent');
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(service.pushesTo(lost.sub)).toHaveLength(2);
    expect(await delivery(lostAlert)).toMatchObject({ attempts: 2 });
    expect(service.pushesTo(busy.sub)).toHaveLength(1);
  });

  it('speaks HTTP/2 to a service that offers it: one connection, and 410 still removes', async () => {
    const h2 = await LocalPushService.start({ http2: true });
    const h2App = await startPushTestApp({ PUSH_ALLOWED_HOSTS: h2.host, PUSH_CONCURRENCY: '8' });
    try {
      const userIds = [await h2App.newUser(), await h2App.newUser(), await h2App.newUser()];
      const subs = userIds.map(() => h2.subscribe());
      for (const [i, userId] of userIds.entries()) await h2App.push.subscribe(userId, subs[i]);
      h2.script(subs[2], { status: 410 });
      const alertId = randomUUID();

      await h2App.push.notifyAlert(userIds, { id: alertId, severity: 'Extreme', headline: 'h2' });
      await waitUntil(
        async () => (await h2App.push.figures({ kind: 'alert', id: alertId })).pending === 0,
      );

      expect(h2.received.map((push) => push.httpVersion)).toEqual(['2.0', '2.0', '2.0']);
      expect(h2.received.every((push) => push.problem === undefined)).toBe(true);
      expect(JSON.parse(h2.pushesTo(subs[0])[0].plaintext!)).toMatchObject({ headline: 'h2' });
      expect(h2.pushesTo(subs[0])[0]).toMatchObject({ urgency: 'high', ttl: '86400' });
      expect(h2.connections).toBe(1);
      expect(await h2App.push.figures({ kind: 'alert', id: alertId })).toMatchObject({
        sent: 2,
        removed: 1,
      });
      expect(await h2App.push.listOwn(userIds[2])).toEqual([]);
    } finally {
      await h2App.close();
      await h2.close();
    }
  });

  it('opens a new HTTP/2 session when the push service drops the old one', async () => {
    const h2 = await LocalPushService.start({ http2: true });
    const h2App = await startPushTestApp({
      PUSH_ALLOWED_HOSTS: h2.host,
      PUSH_RETRY_DELAY_MS: '50',
    });
    try {
      const userId = await h2App.newUser();
      const sub = h2.subscribe();
      await h2App.push.subscribe(userId, sub);

      await h2App.push.notifyAlert([userId], { id: randomUUID(), headline: 'before' });
      await h2.waitFor(sub, 1);
      h2.dropConnections();
      await h2App.push.notifyAlert([userId], { id: randomUUID(), headline: 'after' });
      const pushes = await h2.waitFor(sub, 2);

      expect(pushes.map((push) => JSON.parse(push.plaintext!).headline)).toEqual([
        'before',
        'after',
      ]);
      expect(h2.connections).toBe(2);
    } finally {
      await h2App.close();
      await h2.close();
    }
  });

  it('speaks HTTP/1.1 to a service that does not offer h2', async () => {
    const { userId, sub } = await device();

    await t.push.notifyAlert([userId], { id: randomUUID(), headline: 'h1' });
    const [push] = await service.waitFor(sub, 1);

    expect(push).toMatchObject({ httpVersion: '1.1', problem: undefined });
  });
});
