import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { alertBody, INSIDE_LYON, IN_PARIS } from '../support/alert-factory';
import {
  createAgency,
  createUser,
  identityEnv,
  loginOperator,
  type TestAgency,
  type TestUser,
} from '../support/identity-factory';
import { OutboxService } from '@tocsin/outbox';
import { pause, TestSocket } from '../support/socket-client';
import { request, startTestApp, type TestApp } from '../support/test-app';

describe('alert delivery, responses, update and cancel', () => {
  let api: TestApp;
  let a: TestAgency;
  let b: TestAgency;
  let inside: TestUser;
  let outside: TestUser;
  let groupId: string;
  const sockets: TestSocket[] = [];

  const connect = async (user: TestUser) => {
    const socket = await TestSocket.connect(api.url, user.accessToken);
    sockets.push(socket);

    return socket;
  };

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    const operator = await loginOperator(api.url);
    a = await createAgency(api.url, operator.accessToken);
    b = await createAgency(api.url, operator.accessToken);
    inside = await createUser(api.url, operator.accessToken, a.id, 'responder');
    outside = await createUser(api.url, operator.accessToken, a.id, 'responder');

    const admin = a.users.admin.accessToken;
    const group = await request(`${api.url}/api/groups`, {
      method: 'POST',
      token: admin,
      body: { name: 'Hazmat team' },
    });
    groupId = group.body.id;
    await request(`${api.url}/api/groups/${groupId}/members`, {
      method: 'POST',
      token: admin,
      body: { userId: a.users.responder.id },
    });
    for (const [user, position] of [
      [inside, INSIDE_LYON],
      [outside, IN_PARIS],
      [b.users.responder, INSIDE_LYON],
    ] as const) {
      const located = await request(`${api.url}/api/me/location`, {
        method: 'PUT',
        token: user.accessToken,
        body: position,
      });
      expect(located.status).toBe(200);
    }
  });

  // Every test starts with no socket open: a user's other sockets would acknowledge for them.
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('previews recipients with reasons and stores nothing on a dry run', async () => {
    const { status, body } = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ groupIds: [groupId], dryRun: true }),
    });

    expect(status).toBe(200);
    expect(body.count).toBe(2);
    expect(body.byReason).toMatchObject({ group: 1, location: 1, jurisdiction: 0 });
    const ids = body.recipients.map((r: { userId: string }) => r.userId).sort();
    expect(ids).toEqual([a.users.responder.id, inside.id].sort());
    const listed = await request(`${api.url}/api/alerts`, {
      token: a.users.dispatcher.accessToken,
    });
    expect(listed.body).toEqual([]);
  });

  it('reaches the group member and the responder inside the area, and nobody else', async () => {
    const [member, near, far, otherAgency, dispatcher] = await Promise.all([
      connect(a.users.responder),
      connect(inside),
      connect(outside),
      connect(b.users.responder),
      connect(a.users.dispatcher),
    ]);

    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ groupIds: [groupId] }),
    });
    expect(sent.status).toBe(201);
    expect(sent.body.recipientCount).toBe(2);

    const [memberAlert] = await member.waitFor('alert.created');
    const [nearAlert] = await near.waitFor('alert.created');
    await dispatcher.waitFor('alert.created');
    await pause(300);
    expect(memberAlert).toMatchObject({
      id: sent.body.id,
      seq: 1,
      headline: 'Tanker leak on the ring road',
    });
    expect(nearAlert.id).toBe(sent.body.id);
    expect(far.events('alert.created')).toEqual([]);
    expect(otherAgency.events('alert.created')).toEqual([]);

    const recipients = await request(`${api.url}/api/alerts/${sent.body.id}/recipients`, {
      token: a.users.dispatcher.accessToken,
    });
    expect(recipients.status).toBe(200);
    const byUser = Object.fromEntries(recipients.body.recipients.map((r: any) => [r.userId, r]));
    expect(byUser[a.users.responder.id].reasons).toEqual(['group']);
    expect(byUser[inside.id].reasons).toEqual(['location']);
    expect(byUser[inside.id].deliveredAt).not.toBeNull();
  });

  it('writes every socket of each recipient once, and records who acknowledged', async () => {
    const [phone, laptop, silent, far] = await Promise.all([
      connect(a.users.responder),
      TestSocket.connect(api.url, a.users.responder.accessToken, { autoAck: false }),
      TestSocket.connect(api.url, inside.accessToken, { autoAck: false }),
      connect(outside),
    ]);
    sockets.push(laptop, silent);

    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ groupIds: [groupId], headline: 'Every device' }),
    });
    expect(sent.status).toBe(201);

    for (const socket of [phone, laptop, silent]) await socket.waitFor('alert.created');
    await pause(300);
    for (const socket of [phone, laptop, silent]) {
      expect(socket.events('alert.created').filter((e) => e.id === sent.body.id)).toHaveLength(1);
    }
    expect(far.events('alert.created')).toEqual([]);
    const recipients = await request(`${api.url}/api/alerts/${sent.body.id}/recipients`, {
      token: a.users.dispatcher.accessToken,
    });
    const byUser = Object.fromEntries(recipients.body.recipients.map((r: any) => [r.userId, r]));
    expect(byUser[a.users.responder.id].deliveredAt).not.toBeNull();
    expect(byUser[inside.id].deliveredAt).toBeNull();
  });

  it('shows responses to the dispatcher live, by socket and by HTTP', async () => {
    const [near, member, dispatcher] = await Promise.all([
      connect(inside),
      connect(a.users.responder),
      connect(a.users.dispatcher),
    ]);
    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ groupIds: [groupId], headline: 'Second incident' }),
    });
    await near.waitFor('alert.created');

    const answer = await near.emit('alert.respond', {
      alertId: sent.body.id,
      status: 'responding',
      etaMinutes: 12,
    });
    expect(answer.ok).toBe(true);
    const [first] = await dispatcher.waitFor('alert.response');
    expect(first).toMatchObject({ userId: inside.id, response: 'responding', etaMinutes: 12 });
    expect(first.tally).toMatchObject({ recipients: 2, responding: 1, silent: 1 });

    const byHttp = await request(`${api.url}/api/alerts/${sent.body.id}/responses`, {
      method: 'POST',
      token: a.users.responder.accessToken,
      body: { status: 'on_scene' },
    });
    expect(byHttp.status).toBe(200);
    const responses = await dispatcher.waitFor('alert.response', 2);
    expect(responses[1].tally).toMatchObject({ responding: 1, on_scene: 1, silent: 0 });
    expect(member.events('alert.response')).toEqual([]);
  });

  it('sends updates and cancellations to recipients, then refuses answers', async () => {
    const member = await connect(a.users.responder);
    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ groupIds: [groupId], headline: 'Third incident' }),
    });
    await member.waitFor('alert.created');

    const updated = await request(`${api.url}/api/alerts/${sent.body.id}/update`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: { headline: 'Third incident: spreading', severity: 'Extreme' },
    });
    expect(updated.status).toBe(200);
    const [update] = await member.waitFor('alert.updated');
    expect(update).toMatchObject({ seq: 2, version: 2, msgType: 'Update', severity: 'Extreme' });

    const cancelled = await request(`${api.url}/api/alerts/${sent.body.id}/cancel`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: { reason: 'contained' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.cancelReason).toBe('contained');
    const [cancel] = await member.waitFor('alert.cancelled');
    expect(cancel).toMatchObject({
      seq: 3,
      state: 'cancelled',
      msgType: 'Cancel',
      cancelReason: 'contained',
    });
    const shown = await request(`${api.url}/api/alerts/${sent.body.id}`, {
      token: a.users.responder.accessToken,
    });
    expect(shown.body.cancelReason).toBe('contained');

    const blank = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ groupIds: [groupId], headline: 'Cancelled without a word' }),
    });
    const blankCancel = await request(`${api.url}/api/alerts/${blank.body.id}/cancel`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: { reason: '   ' },
    });
    expect(blankCancel.body.cancelReason).toBeNull();

    const late = await request(`${api.url}/api/alerts/${sent.body.id}/responses`, {
      method: 'POST',
      token: a.users.responder.accessToken,
      body: { status: 'acknowledged' },
    });
    expect(late.status).toBe(409);
  });

  it('gives a client that was away the alert once when it reconnects', async () => {
    const away = await connect(a.users.responder);
    away.close();
    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ groupIds: [groupId], headline: 'While you were away' }),
    });
    await pause(200);

    const back = await connect(a.users.responder);
    await back.waitFor('alert.created');
    await pause(300);
    const mine = back.events('alert.created').filter((alert) => alert.id === sent.body.id);
    expect(mine).toHaveLength(1);

    const again = await connect(a.users.responder);
    await pause(400);
    expect(again.events('alert.created').filter((alert) => alert.id === sent.body.id)).toEqual([]);
  });

  it('sends a new alert once, and the recovery sweep does not send it again', async () => {
    const member = await connect(a.users.responder);
    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ groupIds: [groupId], headline: 'Delivered from memory' }),
    });
    expect(sent.status).toBe(201);
    await member.waitFor('alert.created');

    // Past the short lease the committing process holds on its outbox row, a sweep must
    // find it done: a second copy would reach every recipient twice.
    await pause(10_500);
    await api.app.get(OutboxService).sweep();
    await pause(300);
    const mine = member.events('alert.created').filter((alert) => alert.id === sent.body.id);
    expect(mine).toHaveLength(1);
  });

  it('does not send an acknowledged alert again when the sweep redelivers it', async () => {
    const member = await connect(a.users.responder);
    // A crash after the fan-out and the acknowledgement, before the outbox row was done.
    const outbox = api.app.get(OutboxService);
    const markDone = vi
      .spyOn(outbox as unknown as { markDone(ids: string[]): Promise<void> }, 'markDone')
      .mockResolvedValue(undefined);
    try {
      const sent = await request(`${api.url}/api/alerts`, {
        method: 'POST',
        token: a.users.dispatcher.accessToken,
        body: alertBody({ groupIds: [groupId], headline: 'Redelivered after a crash' }),
      });
      await member.waitFor('alert.created');
      await pause(300);
      markDone.mockRestore();
      await api.app.get(DataSource).query(
        `UPDATE outbox SET lease_until = now() - interval '1 second'
            WHERE dispatched_at IS NULL AND payload->>'alertId' = $1`,
        [sent.body.id],
      );
      await outbox.sweep();
      await pause(300);
      const mine = member.events('alert.created').filter((alert) => alert.id === sent.body.id);
      expect(mine).toHaveLength(1);
    } finally {
      markDone.mockRestore();
    }
  });

  it('sends alerts posted at the same moment by one agency, each under its own identifier', async () => {
    const sent = await Promise.all(
      ['First', 'Second', 'Third'].map((headline) =>
        request(`${api.url}/api/alerts`, {
          method: 'POST',
          token: a.users.dispatcher.accessToken,
          body: alertBody({ groupIds: [groupId], headline }),
        }),
      ),
    );

    for (const { status, body } of sent) {
      expect(status).toBe(201);
      expect(body.identifier).toBe(`urn:uuid:${body.id}`);
      expect(body.sender).toMatch(new RegExp(`^${a.id}@`));
    }
    expect(new Set(sent.map(({ body }) => body.id)).size).toBe(3);
  });

  it('keeps the newest acknowledgement when a client acknowledges twice at once', async () => {
    const member = await TestSocket.connect(api.url, a.users.responder.accessToken, {
      autoAck: false,
    });
    sockets.push(member);
    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ groupIds: [groupId], headline: 'Acknowledged out of order' }),
    });
    await member.waitFor('alert.created');
    await request(`${api.url}/api/alerts/${sent.body.id}/update`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: { severity: 'Extreme' },
    });
    await member.waitFor('alert.updated');

    // Both land in one batch of acknowledgements; the older must not win.
    const answers = await Promise.all([
      member.emit('alert.ack', { alertId: sent.body.id, seq: 2 }),
      member.emit('alert.ack', { alertId: sent.body.id, seq: 1 }),
    ]);
    expect(answers.map((answer) => answer.ok)).toEqual([true, true]);
    await pause(300);
    member.close();

    const back = await connect(a.users.responder);
    await pause(400);
    const replayed = back.received.filter((r) => r.payload?.id === sent.body.id);
    expect(replayed).toEqual([]);
  });

  it('reaches a responder who walks into an active alert area', async () => {
    const walker = await createUser(
      api.url,
      (await loginOperator(api.url)).accessToken,
      a.id,
      'responder',
    );
    const socket = await connect(walker);
    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: alertBody({ headline: 'Area only' }),
    });
    await pause(200);
    expect(socket.events('alert.created')).toEqual([]);

    const moved = await request(`${api.url}/api/me/location`, {
      method: 'PUT',
      token: walker.accessToken,
      body: INSIDE_LYON,
    });
    expect(moved.body.newAlerts).toBeGreaterThanOrEqual(1);
    const received = await socket.waitFor('alert.created');
    expect(received.map((alert) => alert.id)).toContain(sent.body.id);
  });

  it('lists alerts by map box and state', async () => {
    const token = a.users.dispatcher.accessToken;
    const inBox = await request(`${api.url}/api/alerts?bbox=4.7,45.7,4.9,45.8&status=active`, {
      token,
    });
    const elsewhere = await request(`${api.url}/api/alerts?bbox=2.2,48.8,2.5,48.9`, { token });
    const cancelled = await request(`${api.url}/api/alerts?status=cancelled`, { token });
    const otherAgency = await request(`${api.url}/api/alerts`, {
      token: b.users.dispatcher.accessToken,
    });

    expect(inBox.body.length).toBeGreaterThanOrEqual(4);
    expect(inBox.body.every((alert: any) => alert.state === 'active')).toBe(true);
    expect(elsewhere.body).toEqual([]);
    expect(cancelled.body.map((alert: any) => alert.headline).sort()).toEqual([
      'Cancelled without a word',
      'Third incident: spreading',
    ]);
    expect(otherAgency.body).toEqual([]);
  });
});
