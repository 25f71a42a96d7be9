import { randomUUID } from 'node:crypto';
import { RetentionService, verifyExport } from '@tocsin/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pause, TestSocket } from '../support/socket-client';
import { call, send, startChatWorld, type ChatWorld } from './chat-world';

describe('chat', () => {
  let w: ChatWorld;
  const sockets: TestSocket[] = [];
  const connect = async (token: string) => {
    const socket = await TestSocket.connect(w.api.url, token);
    sockets.push(socket);

    return socket;
  };

  beforeAll(async () => {
    w = await startChatWorld();
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await w?.api.close();
  });

  it('gives 100 concurrent sends seq 1..100 with no gap, and every member gets each once', async () => {
    const [alice, bob] = w.members;
    const watcher = await connect(bob.accessToken);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        send(w.api, i % 2 ? alice : w.members[2], w.conversationId, `burst ${i}`),
      ),
    );

    expect(results.every((r) => r.status === 201)).toBe(true);
    const seqs = results.map((r) => r.body.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const live = await watcher.waitFor('message.created', 100, 15_000);
    expect(new Set(live.map((m) => m.seq)).size).toBe(100);
    expect(live[0]).toMatchObject({ conversationId: w.conversationId, id: expect.any(String) });
  });

  it('returns the first message for a duplicate clientId, also under a race', async () => {
    const alice = w.members[0];
    const clientId = randomUUID();
    const path = `/api/conversations/${w.conversationId}/messages`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        call(w.api, alice, 'POST', path, { clientId, body: `try ${i}` }),
      ),
    );
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const again = await call(w.api, alice, 'POST', path, { clientId, body: 'later' });
    expect(again.body.id).toBe(answers[0].body.id);
    expect(again.body.seq).toBe(answers[0].body.seq);

    const socket = await connect(alice.accessToken);
    const viaSocket = await socket.emit('message.send', {
      conversationId: w.conversationId,
      clientId,
      body: 'socket resend',
    });
    expect(viaSocket).toMatchObject({ ok: true, data: { id: answers[0].body.id } });
    const page = await call(w.api, alice, 'GET', `${path}?afterSeq=0&limit=200`);
    expect(page.body.messages.filter((m: any) => m.clientId === clientId)).toHaveLength(1);
  });

  it('catches up an offline client to the right state, edits and deletions included', async () => {
    const [alice, bob] = w.members;
    const before = await call(w.api, bob, 'GET', `/api/conversations/${w.conversationId}`);
    const lastSeq = before.body.lastSeq;
    const old = await send(w.api, alice, w.conversationId, 'seen before going offline');
    const position = { seq: old.body.seq, rev: old.body.rev };

    // Bob is offline for this burst.
    const a1 = await send(w.api, alice, w.conversationId, 'one');
    const a2 = await send(w.api, alice, w.conversationId, 'two');
    const base = `/api/conversations/${w.conversationId}/messages`;
    const edited = await call(w.api, alice, 'PATCH', `${base}/${old.body.id}`, { body: 'fixed' });
    expect(edited.body).toMatchObject({ version: 2, body: 'fixed' });
    const deleted = await call(w.api, alice, 'DELETE', `${base}/${a2.body.id}`);
    expect(deleted.body).toMatchObject({ body: null, deletedAt: expect.any(String) });

    const bobSocket = await connect(bob.accessToken);
    const answer = await bobSocket.emit('conversation.catchUp', {
      positions: { [w.conversationId]: position },
    });
    expect(answer.ok).toBe(true);
    const got = answer.data.conversations[0].messages;
    expect(got.map((m: any) => [m.id, m.body])).toEqual([
      [old.body.id, 'fixed'],
      [a1.body.id, 'one'],
      [a2.body.id, null],
    ]);
    // With only a seq, the server works out the rev itself.
    const bySeq = await bobSocket.emit('conversation.catchUp', {
      positions: { [w.conversationId]: old.body.seq },
    });
    expect(bySeq.data.conversations[0].messages.map((m: any) => m.id)).toEqual(
      got.map((m: any) => m.id),
    );
    expect(lastSeq).toBeLessThan(old.body.seq);
  });

  it('relays typing and receipts to the other members only', async () => {
    const [alice, bob] = w.members;
    const a = await connect(alice.accessToken);
    const b = await connect(bob.accessToken);
    // Bob coming online reaches Alice through the conversation's room: she is in it.
    for (let i = 0; i < 100 && !a.events('presence').some((p) => p.userId === bob.id); i++) {
      await pause(20);
    }
    expect(await b.emit('typing', { conversationId: w.conversationId, typing: true })).toEqual({
      ok: true,
      data: { sent: true },
    });
    const [typing] = await a.waitFor('typing');
    expect(typing).toEqual({ conversationId: w.conversationId, userId: bob.id, typing: true });
    const read = await b.emit('message.read', { conversationId: w.conversationId, seq: 3 });
    expect(read.data).toMatchObject({
      userId: bob.id,
      readSeq: 3,
      deliveredSeq: expect.any(Number),
    });
    await a.waitFor('message.receipt');
    const presence = await a.emit('presence.query', { conversationId: w.conversationId });
    expect(presence.data.online).toEqual(expect.arrayContaining([alice.id, bob.id]));
  });

  it('a removed member receives nothing more, by socket, catch-up or API', async () => {
    const [alice, , carol] = w.members;
    const carolSocket = await connect(carol.accessToken);
    const aliceSocket = await connect(alice.accessToken);
    const removed = await call(
      w.api,
      w.a.users.admin,
      'DELETE',
      `/api/groups/${w.groupId}/members/${carol.id}`,
    );
    expect(removed.status).toBe(204);
    // The answer means the removal holds: a send from the same socket at once is refused.
    const atOnce = await carolSocket.emit('message.send', {
      conversationId: w.conversationId,
      clientId: randomUUID(),
      body: 'sent the instant I was removed',
    });
    expect(atOnce).toMatchObject({ ok: false, error: { statusCode: 403 } });
    await carolSocket.waitFor('conversation.left');
    const received = carolSocket.events('message.created').length;

    const after = await send(w.api, alice, w.conversationId, 'after carol left');
    await aliceSocket.waitFor('message.created', 1);
    await pause(300);
    await aliceSocket.emit('typing', { conversationId: w.conversationId, typing: true });
    await pause(200);

    expect(carolSocket.events('message.created')).toHaveLength(received);
    expect(carolSocket.events('typing')).toHaveLength(0);
    const page = await call(w.api, carol, 'GET', `/api/conversations/${w.conversationId}/messages`);
    expect(page.status).toBe(403);
    const catchUp = await carolSocket.emit('conversation.catchUp', {
      positions: { [w.conversationId]: after.body.seq - 1 },
    });
    expect(catchUp.data).toEqual({ conversations: [], refused: [w.conversationId] });
    // Replaying an old client id is refused too.
    const replay = await carolSocket.emit('message.send', {
      conversationId: w.conversationId,
      clientId: randomUUID(),
      body: 'still here?',
    });
    expect(replay).toMatchObject({ ok: false, error: { statusCode: 403 } });
  });

  it('exports every version with a manifest that verifies; audited', async () => {
    const admin = w.a.users.admin;
    const exported = await call(
      w.api,
      admin,
      'GET',
      `/api/conversations/${w.conversationId}/export`,
    );
    expect(exported.status).toBe(200);
    expect(verifyExport(exported.body)).toEqual([]);
    const lines = exported.body.jsonl
      .trim()
      .split('\n')
      .map((l: string) => JSON.parse(l));
    const actions = new Set(lines.map((l: any) => l.action));
    expect(actions).toEqual(new Set(['created', 'edited', 'deleted']));
    expect(lines.find((l: any) => l.body === 'seen before going offline')).toBeDefined();
    expect(exported.body.manifest.counts.versions).toBe(lines.length);
    expect(exported.body.transcript).toContain('(deleted, v2): [deleted]');

    const responder = await call(
      w.api,
      w.members[0],
      'GET',
      `/api/conversations/${w.conversationId}/export`,
    );
    expect(responder.status).toBe(403);
    const otherAgency = await call(
      w.api,
      w.b.users.admin,
      'GET',
      `/api/conversations/${w.conversationId}/export`,
    );
    expect(otherAgency.status).toBe(404);
    const audit = await call(w.api, admin, 'GET', '/api/audit?action=archive.exported');
    expect(audit.body.items.length).toBeGreaterThan(0);
  });

  it('legal hold stops the retention job; the rest expires and is audited', async () => {
    const admin = w.a.users.admin;
    const [alice, bob] = w.members;
    const direct = await call(w.api, alice, 'POST', '/api/conversations', {
      kind: 'direct',
      memberIds: [bob.id],
    });
    expect(direct.status).toBe(201);
    await send(w.api, alice, direct.body.id, 'short-lived');
    const hold = await call(
      w.api,
      admin,
      'PUT',
      `/api/conversations/${w.conversationId}/legal-hold`,
      {
        hold: true,
        reason: 'inquiry 12',
      },
    );
    expect(hold.body.legalHold).toBe(true);
    const policy = await call(w.api, admin, 'PUT', '/api/messaging/policy', { retentionDays: 1 });
    expect(policy.body.retentionDays, JSON.stringify(policy.body)).toBe(1);

    const retention = w.api.app.get(RetentionService);
    const result = await retention.runOnce(new Date(Date.now() + 3 * 86_400_000));

    expect(result.byConversation.map((c) => c.conversationId)).toEqual([direct.body.id]);
    const kept = await call(w.api, alice, 'GET', `/api/conversations/${w.conversationId}/messages`);
    expect(kept.body.messages.length).toBeGreaterThan(0);
    const gone = await call(w.api, alice, 'GET', `/api/conversations/${direct.body.id}/messages`);
    expect(gone.body.messages).toEqual([]);
    const audit = await call(w.api, admin, 'GET', '/api/audit?action=messaging.retention_deleted');
    expect(audit.body.items[0]).toMatchObject({ targetId: direct.body.id });
    expect(JSON.stringify(audit.body)).not.toContain('short-lived');
    await call(w.api, admin, 'PUT', '/api/messaging/policy', { retentionDays: null });
  });

  it('answers bad input with a clear error to that client only', async () => {
    const [alice, bob] = w.members;
    const path = `/api/conversations/${w.conversationId}/messages`;
    const empty = await call(w.api, alice, 'POST', path, { clientId: 'x1', body: '  ' });
    expect(empty.status).toBe(400);
    const long = await call(w.api, alice, 'POST', path, { clientId: 'x2', body: 'a'.repeat(4001) });
    expect(long.status).toBe(400);
    const unknown = await call(
      w.api,
      alice,
      'POST',
      `/api/conversations/${randomUUID()}/messages`,
      {
        clientId: 'x3',
        body: 'hi',
      },
    );
    expect(unknown.status).toBe(404);
    const stranger = await call(w.api, w.b.users.admin, 'GET', path);
    expect(stranger.status).toBe(404);
    const nonMember = await call(w.api, w.a.users.dispatcher, 'POST', path, {
      clientId: 'x4',
      body: 'hi',
    });
    expect(nonMember.status).toBe(404);
    const malformedId = await call(w.api, alice, 'GET', '/api/conversations/not-a-uuid/messages');
    expect(malformedId.status).toBe(400);

    const a = await connect(alice.accessToken);
    const b = await connect(bob.accessToken);
    for (const payload of [
      null,
      'text',
      [1, 2],
      { conversationId: 'nope', clientId: 'x', body: 'hi' },
      { conversationId: w.conversationId, clientId: 'x', body: 'hi', extra: 1 },
      { conversationId: w.conversationId, clientId: 'x', location: { lat: 500, lon: 0 } },
      { conversationId: w.conversationId, clientId: 'x', body: '' },
      { conversationId: w.conversationId, clientId: 'x5', body: 'a\udc00' },
      { conversationId: w.conversationId, clientId: 'x6', body: 'nul\u0000' },
      { conversationId: w.conversationId, ['key\ud800']: 1 },
    ]) {
      const answer = await a.emit('message.send', payload);
      expect(answer.ok, JSON.stringify(payload)).toBe(false);
      expect(answer.error.statusCode).toBe(400);
    }
    const badEdit = await a.emit('message.edit', {
      conversationId: w.conversationId,
      messageId: randomUUID(),
      body: 'b\ud800',
    });
    expect(badEdit).toMatchObject({ ok: false, error: { statusCode: 400 } });
    const badCatchUp = await a.emit('conversation.catchUp', { positions: { x: -1 } });
    expect(badCatchUp).toMatchObject({ ok: false, error: { statusCode: 400 } });
    // The process and the other socket carry on.
    const sent = await a.emit('message.send', {
      conversationId: w.conversationId,
      clientId: randomUUID(),
      location: { lat: 45.75, lon: 4.84, accuracy: 10 },
    });
    expect(sent.data).toMatchObject({ kind: 'location', location: { lat: 45.75, lon: 4.84 } });
    const [live] = (await b.waitFor('message.created')).filter((m) => m.id === sent.data.id);
    expect(live.seq).toBe(sent.data.seq);
  });
});
