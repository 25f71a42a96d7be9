import { randomUUID } from 'node:crypto';
import { RetentionService, verifyExport } from '@tocsin/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgency,
  createUser,
  identityEnv,
  loginOperator,
  type TestAgency,
  type TestUser,
} from '../support/identity-factory';
import { TestSocket } from '../support/socket-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { call } from './chat-world';

/**
 * Interagency conversations end to end: agencies A and B partnered through A's interagency
 * group, C outside it. Real server, real PostgreSQL, real Socket.IO clients.
 */
describe('interagency conversations', () => {
  let api: TestApp;
  let a: TestAgency;
  let b: TestAgency;
  let c: TestAgency;
  let conversationId: string;
  const sockets: TestSocket[] = [];

  const connect = async (user: TestUser) => {
    const socket = await TestSocket.connect(api.url, user.accessToken);
    sockets.push(socket);

    return socket;
  };
  const path = (id = conversationId) => `/api/conversations/${id}`;
  const policy = (admin: TestUser, body: object) =>
    call(api, admin, 'PUT', '/api/messaging/policy', body);
  const sendVia = (socket: TestSocket, body: string, id = conversationId) =>
    socket.emit('message.send', { conversationId: id, clientId: randomUUID(), body });
  const exportAs = async (admin: TestUser, id = conversationId) => {
    const answer = await call(api, admin, 'GET', `${path(id)}/export`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(verifyExport(answer.body)).toEqual([]);
    const lines = (answer.body.jsonl as string).split('\n').filter((line) => line.length > 0);

    return lines.map((line) => JSON.parse(line) as { seq: number; body: string | null });
  };
  /** An interagency conversation opened by A's dispatcher with these members. */
  const open = async (title: string, memberIds: string[]) => {
    const created = await call(api, a.users.dispatcher, 'POST', '/api/conversations', {
      kind: 'interagency',
      title,
      memberIds,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    return created.body.id as string;
  };

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    const operator = await loginOperator(api.url);
    a = await createAgency(api.url, operator.accessToken, 'Agency A');
    b = await createAgency(api.url, operator.accessToken, 'Agency B');
    c = await createAgency(api.url, operator.accessToken, 'Agency C');

    const group = await call(api, a.users.admin, 'POST', '/api/groups', {
      name: 'Mutual aid',
      interagency: true,
    });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const groupPath = `/api/groups/${group.body.id}/partners`;
    const invited = await call(api, a.users.admin, 'POST', groupPath, { agencyId: b.id });
    expect(invited.status, JSON.stringify(invited.body)).toBe(204);
    const accepted = await call(api, b.users.admin, 'POST', `${groupPath}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(204);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api?.close();
  });

  it("refuses to open one while either agency's policy forbids interagency chats", async () => {
    const body = { kind: 'interagency', title: 'Refused', memberIds: [b.users.dispatcher.id] };
    for (const admin of [b.users.admin, a.users.admin]) {
      expect((await policy(admin, { allowInteragency: false })).status).toBe(200);
      const refused = await call(api, a.users.dispatcher, 'POST', '/api/conversations', body);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('messaging.policy');
      expect((await policy(admin, { allowInteragency: true })).status).toBe(200);
    }
    const ownAgencyOnly = await call(api, a.users.dispatcher, 'POST', '/api/conversations', {
      kind: 'interagency',
      title: 'A only',
      memberIds: [a.users.responder.id],
    });
    expect(ownAgencyOnly.status).toBe(201);
  });

  it("refuses members from an agency that is not a partner, and C's staff cannot open one", async () => {
    const withC = await call(api, a.users.dispatcher, 'POST', '/api/conversations', {
      kind: 'interagency',
      title: 'With C',
      memberIds: [c.users.dispatcher.id],
    });
    expect(withC.status).toBe(404);
    const fromC = await call(api, c.users.dispatcher, 'POST', '/api/conversations', {
      kind: 'interagency',
      title: 'From C',
      memberIds: [a.users.dispatcher.id],
    });
    expect(fromC.status).toBe(404);
  });

  it('carries messages both ways over Socket.IO between the two agencies', async () => {
    conversationId = await open('Flood response', [
      a.users.responder.id,
      b.users.dispatcher.id,
      b.users.responder.id,
    ]);
    const fromA = await connect(a.users.dispatcher);
    const fromB = await connect(b.users.dispatcher);
    const watcherB = await connect(b.users.responder);

    const sentA = await sendVia(fromA, 'A: sandbags at the bridge');
    expect(sentA).toMatchObject({ ok: true, data: { seq: 1, senderAgencyId: a.id } });
    const sentB = await sendVia(fromB, 'B: two boats on the way');
    expect(sentB).toMatchObject({ ok: true, data: { seq: 2, senderAgencyId: b.id } });

    const atB = await fromB.waitFor('message.created', 2);
    const atA = await fromA.waitFor('message.created', 2);
    const seen = await watcherB.waitFor('message.created', 2);
    for (const received of [atA, atB, seen]) {
      expect(received.map((m) => [m.seq, m.body])).toEqual([
        [1, 'A: sandbags at the bridge'],
        [2, 'B: two boats on the way'],
      ]);
    }
  });

  it('tells every member, of either agency, that the conversation is archived and by whom', async () => {
    for (const member of [a.users.dispatcher, b.users.responder]) {
      const view = await call(api, member, 'GET', path());
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        kind: 'interagency',
        archived: true,
        interagency: true,
        archivingAgencyIds: [a.id, b.id].sort(),
      });
      const listed = await call(api, member, 'GET', '/api/conversations');
      const entry = listed.body.find((item: { id: string }) => item.id === conversationId);
      expect(entry).toMatchObject({ archived: true, archivingAgencyIds: [a.id, b.id].sort() });
    }
  });

  it('answers 404 to agency C everywhere: read, post, socket, archive and export', async () => {
    const cAdmin = c.users.admin;
    for (const user of [cAdmin, c.users.dispatcher]) {
      expect((await call(api, user, 'GET', path())).status).toBe(404);
      expect((await call(api, user, 'GET', `${path()}/messages?afterSeq=0`)).status).toBe(404);
      const posted = await call(api, user, 'POST', `${path()}/messages`, {
        clientId: randomUUID(),
        body: 'from C',
      });
      expect(posted.status).toBe(404);
    }
    expect((await call(api, cAdmin, 'GET', `${path()}/export`)).status).toBe(404);
    expect(
      (await call(api, cAdmin, 'GET', `/api/archive/conversations/${conversationId}/messages`))
        .status,
    ).toBe(404);
    const held = await call(api, cAdmin, 'PUT', `${path()}/legal-hold`, { hold: true });
    expect(held.status).toBe(404);
    const archive = await call(api, cAdmin, 'GET', '/api/archive/conversations');
    expect(archive.body.map((item: { id: string }) => item.id)).not.toContain(conversationId);

    const socketC = await connect(c.users.dispatcher);
    const refused = await sendVia(socketC, 'from C over the socket');
    expect(refused).toMatchObject({ ok: false, error: { statusCode: 404 } });
    const list = await call(api, a.users.dispatcher, 'GET', `${path()}/messages?afterSeq=0`);
    expect(list.body.messages.map((m: { body: string }) => m.body)).not.toContain(
      'from C over the socket',
    );
    expect(socketC.events('message.created')).toEqual([]);
  });

  it("lets each agency's admin export it, every message of both agencies, verified", async () => {
    for (const admin of [a.users.admin, b.users.admin]) {
      const versions = await exportAs(admin);
      expect(versions.map((v) => [v.seq, v.body])).toEqual([
        [1, 'A: sandbags at the bridge'],
        [2, 'B: two boats on the way'],
      ]);
    }
    const other = await call(api, b.users.responder, 'GET', `${path()}/export`);
    expect(other.status).toBe(403);
  });

  it("keeps out of B's export what no member of B was entitled to see", async () => {
    // B's newcomers see no history; B's only member joins after seq 2 and is removed at 3.
    expect((await policy(b.users.admin, { newMembersSeeHistory: false })).status).toBe(200);
    const id = await open('Late partner', [a.users.responder.id]);
    const fromA = await connect(a.users.dispatcher);
    await sendVia(fromA, 'before B', id);
    await sendVia(fromA, 'still before B', id);
    const added = await call(api, a.users.dispatcher, 'POST', `${path(id)}/members`, {
      userId: b.users.dispatcher.id,
    });
    expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
    const seen = await sendVia(fromA, 'while B is here', id);
    const removed = await call(
      api,
      a.users.dispatcher,
      'DELETE',
      `${path(id)}/members/${b.users.dispatcher.id}`,
    );
    expect(removed.status, JSON.stringify(removed.body)).toBeLessThan(300);
    await sendVia(fromA, 'after B left', id);
    const edited = await fromA.emit('message.edit', {
      conversationId: id,
      messageId: seen.data.id,
      body: 'edited after B left',
    });
    expect(edited).toMatchObject({ ok: true, data: { version: 2 } });
    expect((await policy(b.users.admin, { newMembersSeeHistory: true })).status).toBe(200);

    const ofA = await exportAs(a.users.admin, id);
    expect(ofA.map((v) => v.body)).toEqual([
      'before B',
      'still before B',
      'while B is here',
      'edited after B left',
      'after B left',
    ]);
    const ofB = await exportAs(b.users.admin, id);
    expect(ofB.map((v) => [v.seq, v.body])).toEqual([[3, 'while B is here']]);
    const read = await call(api, b.users.admin, 'GET', `/api/archive/conversations/${id}/messages`);
    expect(read.status).toBe(200);
    expect(read.body.versions.map((v: { seq: number }) => v.seq)).toEqual([3]);
  });

  it("applies A's retention to A's messages only; B's stay in both archives", async () => {
    expect((await policy(a.users.admin, { retentionDays: 1 })).status).toBe(200);
    const retention = api.app.get(RetentionService);
    const result = await retention.runOnce(new Date(Date.now() + 3 * 86_400_000));
    expect((await policy(a.users.admin, { retentionDays: null })).status).toBe(200);

    const here = result.byConversation.filter((row) => row.conversationId === conversationId);
    expect(here).toEqual([{ agencyId: a.id, conversationId, count: 1 }]);
    const page = await call(api, b.users.responder, 'GET', `${path()}/messages?afterSeq=0`);
    expect(page.body.messages.map((m: { seq: number; body: string }) => [m.seq, m.body])).toEqual([
      [2, 'B: two boats on the way'],
    ]);
    for (const admin of [a.users.admin, b.users.admin]) {
      const versions = await exportAs(admin);
      expect(versions.map((v) => v.seq)).toEqual([2]);
    }
    const auditA = await call(
      api,
      a.users.admin,
      'GET',
      '/api/audit?action=messaging.retention_deleted',
    );
    expect(JSON.stringify(auditA.body)).toContain(conversationId);
    const auditB = await call(
      api,
      b.users.admin,
      'GET',
      '/api/audit?action=messaging.retention_deleted',
    );
    expect(JSON.stringify(auditB.body)).not.toContain(conversationId);
  });

  it("lets B's legal hold keep A's retention away from the whole conversation", async () => {
    const fromA = await connect(a.users.dispatcher);
    await sendVia(fromA, 'held by B');
    const held = await call(api, b.users.admin, 'PUT', `${path()}/legal-hold`, {
      hold: true,
      reason: 'inquiry',
    });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ legalHold: true });

    expect((await policy(a.users.admin, { retentionDays: 1 })).status).toBe(200);
    const retention = api.app.get(RetentionService);
    const result = await retention.runOnce(new Date(Date.now() + 3 * 86_400_000));
    expect((await policy(a.users.admin, { retentionDays: null })).status).toBe(200);
    expect(result.byConversation.map((row) => row.conversationId)).not.toContain(conversationId);
    const versions = await exportAs(b.users.admin);
    expect(versions.map((v) => v.body)).toContain('held by B');
  });

  it('refuses an interagency conversation opened by a responder', async () => {
    const responder = await createUser(api.url, a.users.admin.accessToken, a.id, 'responder');
    const refused = await call(api, responder, 'POST', '/api/conversations', {
      kind: 'interagency',
      title: 'Not staff',
      memberIds: [b.users.responder.id],
    });
    expect(refused.status).toBe(403);
  });
});
