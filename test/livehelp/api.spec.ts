import { randomUUID } from 'node:crypto';
import { AbandonedChatsService } from '@tocsin/livehelp';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency, type TestAgency } from '../support/identity-factory';
import { alertBody, LYON_SQUARE } from '../support/alert-factory';
import { sql } from '../support/sql';
import { request, type TestApp } from '../support/test-app';
import {
  asVisitor,
  configure,
  connectLiveHelp,
  SITE,
  sendAsVisitor,
  startLiveHelpWorld,
  startVisitor,
  type LiveHelpWorld,
} from './livehelp-world';

const MARKUP = '<img src=x onerror="alert(1)"><script>alert(2)</script>&amp;';

let world: LiveHelpWorld;
let api: TestApp;
let agency: TestAgency;

beforeAll(async () => {
  world = await startLiveHelpWorld({ LIVEHELP_SESSIONS_PER_HOUR_PER_ADDRESS: '1000' });
  ({ api, agency } = world);
});

afterAll(async () => {
  await api?.close();
});

const staff = (token: string, method: string, path: string, body?: unknown) =>
  request(`${api.url}${path}`, { method, token, body });

async function acceptedChat(name = 'Sam') {
  const started = await startVisitor(api, agency.id, { name, topic: 'Shelter' });
  expect(started.status).toBe(201);
  const conversationId = started.body.session.conversationId as string;
  const accepted = await staff(
    agency.users.dispatcher.accessToken,
    'POST',
    `/api/livehelp/chats/${conversationId}/accept`,
  );
  expect(accepted.status).toBe(200);

  return { token: started.body.token as string, conversationId, started: started.body };
}

describe('starting a visitor chat', () => {
  it('answers an allowed site with a visitor token, the chat and CORS headers', async () => {
    const started = await startVisitor(api, agency.id, { name: 'Ana', topic: 'Flooding' });

    expect(started.status).toBe(201);
    expect(started.body.token).toMatch(/^lhv_/);
    expect(started.body.session).toMatchObject({
      agencyId: agency.id,
      name: 'Ana',
      topic: 'Flooding',
      status: 'waiting',
      pushMode: 'same_tab',
    });
    expect(started.headers.get('access-control-allow-origin')).toBe(SITE);
    const chats = await staff(agency.users.dispatcher.accessToken, 'GET', '/api/livehelp/chats');
    const waiting = chats.body.waiting.find(
      (chat: { conversationId: string }) =>
        chat.conversationId === started.body.session.conversationId,
    );
    expect(waiting).toMatchObject({ topic: 'Flooding', status: 'waiting' });
    expect(typeof waiting.waitingSeconds).toBe('number');
  });

  it('refuses another site, a missing Origin and an unknown agency, without CORS headers', async () => {
    const other = await startVisitor(api, agency.id, {}, 'http://evil.test');
    const none = await startVisitor(api, agency.id, {}, null);
    const unknown = await startVisitor(api, randomUUID(), {});

    for (const refused of [other, none, unknown]) {
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('livehelp.origin_refused');
    }
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers preflights from allowed sites only', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/api/livehelp/visitors`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight(SITE);
    const refused = await preflight('http://evil.test');

    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses malformed starts with 400', async () => {
    const cases = [
      { agencyId: 'not-a-uuid' },
      { agencyId: agency.id, name: 'x'.repeat(81) },
      { agencyId: agency.id, name: 'line\nbreak' },
      { agencyId: agency.id, extra: true },
    ];
    for (const body of cases) {
      const response = await request(`${api.url}/api/livehelp/visitors`, {
        method: 'POST',
        body,
        headers: { origin: SITE },
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('visitor token isolation', () => {
  it('answers 401 on every staff route, whatever the path', async () => {
    const mine = await startVisitor(api, agency.id, { name: 'Mine' });
    const theirs = await startVisitor(api, agency.id, { name: 'Theirs' });
    const token = mine.body.token as string;
    const otherId = theirs.body.session.conversationId as string;
    const docs = await request(`${api.url}/api/docs-json`);
    const operations = Object.entries(docs.body.paths as Record<string, object>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => ({ path, method })),
    );
    let checked = 0;

    for (const { path, method } of operations) {
      const url = path.replace(/\{[^}]+\}/g, otherId);
      const body = ['post', 'put', 'patch'].includes(method) ? {} : undefined;
      const anonymous = await request(`${api.url}${url}`, { method, body });
      if (anonymous.status !== 401 || url.startsWith('/api/livehelp/visitor')) continue;
      const withVisitor = await request(`${api.url}${url}`, { method, body, token });
      expect(withVisitor.status, `${method} ${path}`).toBe(401);
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('reads only its own chat', async () => {
    const mine = await startVisitor(api, agency.id, { name: 'Mine' });
    const theirs = await startVisitor(api, agency.id, { name: 'Theirs' });
    await sendAsVisitor(api, theirs.body.token, 'their secret');
    await sendAsVisitor(api, mine.body.token, 'my words');

    const read = await asVisitor(api, mine.body.token, 'GET', 'messages');

    expect(read.status).toBe(200);
    expect(read.body.map((message: { body: string }) => message.body)).toEqual(['my words']);
  });

  it('refuses staff tokens on visitor routes and visitor tokens on the default namespace', async () => {
    const admin = agency.users.admin.accessToken;
    for (const [method, path] of [
      ['GET', 'messages'],
      ['POST', 'resume'],
      ['GET', 'alerts'],
    ]) {
      const response = await asVisitor(api, admin, method, path);
      expect(response.status, path).toBe(401);
    }
    const visitor = await startVisitor(api, agency.id);
    const socket = io(api.url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: visitor.body.token },
      reconnection: false,
      forceNew: true,
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', () => resolve('refused'));
    });
    socket.close();
    expect(outcome).toBe('refused');

    const responder = connectLiveHelp(api.url, agency.users.responder.accessToken);
    await expect(responder.ready).rejects.toThrow();
    responder.socket.close();
  });

  it('refuses a visitor socket from another site', async () => {
    const visitor = await startVisitor(api, agency.id);
    const elsewhere = connectLiveHelp(api.url, visitor.body.token, 'http://evil.test');
    await expect(elsewhere.ready).rejects.toThrow();
    elsewhere.socket.close();
  });
});

describe('messages', () => {
  it('stores markup as text and both sides read it verbatim, in real time', async () => {
    const { token, conversationId } = await acceptedChat(MARKUP);
    const visitorSocket = connectLiveHelp(api.url, token, SITE);
    const repSocket = connectLiveHelp(api.url, agency.users.dispatcher.accessToken);
    await Promise.all([visitorSocket.ready, repSocket.ready]);

    const sent = await sendAsVisitor(api, token, MARKUP);
    const answer = await staff(
      agency.users.dispatcher.accessToken,
      'POST',
      `/api/livehelp/chats/${conversationId}/messages`,
      { clientId: randomUUID(), body: `re: ${MARKUP}` },
    );

    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ body: MARKUP, fromVisitor: true, seq: 1 });
    expect(sent.body.senderName).toBe(`${MARKUP} (visitor)`);
    expect(answer.status).toBe(201);
    expect((await repSocket.waitFor('message.created')).body).toBe(MARKUP);
    const delivered = await visitorSocket.waitFor('livehelp.message');
    expect(delivered.body === MARKUP || delivered.body === `re: ${MARKUP}`).toBe(true);
    const read = await staff(
      agency.users.dispatcher.accessToken,
      'GET',
      `/api/conversations/${conversationId}/messages`,
    );
    expect(read.body.messages.map((message: { body: string }) => message.body)).toEqual([
      MARKUP,
      `re: ${MARKUP}`,
    ]);
    const visitorRead = await asVisitor(api, token, 'GET', 'messages');
    expect(visitorRead.body[1]).toMatchObject({ fromVisitor: false, clientId: null });
    expect(visitorRead.body[1].senderId).toBeUndefined();
    visitorSocket.socket.close();
    repSocket.socket.close();
  });

  it('refuses oversized and malformed messages, and a resend stores nothing twice', async () => {
    const { token } = await acceptedChat();
    const oversized = await sendAsVisitor(api, token, 'x'.repeat(2001));
    expect(oversized.status).toBe(413);
    expect(oversized.body.code).toBe('livehelp.message_too_long');

    const malformed = [
      { body: 'no client id' },
      { clientId: 'a b', body: 'space in id' },
      { clientId: 'k', body: 42 },
      { clientId: 'k', body: '   ' },
      { clientId: 'k', body: 'nul \u0000' },
      { clientId: 'k', body: 'x', location: { lat: 1, lon: 1 } },
    ];
    for (const body of malformed) {
      const response = await asVisitor(api, token, 'POST', 'messages', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const notJson = await request(`${api.url}/api/livehelp/visitor/messages`, {
      method: 'POST',
      token,
      body: '{"clientId":',
      headers: { origin: SITE },
    });
    expect(notJson.status).toBe(400);

    const first = await asVisitor(api, token, 'POST', 'messages', { clientId: 'c1', body: 'hi' });
    const again = await asVisitor(api, token, 'POST', 'messages', { clientId: 'c1', body: 'hi' });
    expect(again.body.id).toBe(first.body.id);
    expect((await asVisitor(api, token, 'GET', 'messages')).body).toHaveLength(1);
  });
});

describe('representatives', () => {
  it('pushes an allowed page to the visitor and refuses any other link with 400', async () => {
    const { token, conversationId } = await acceptedChat();
    const visitorSocket = connectLiveHelp(api.url, token, SITE);
    await visitorSocket.ready;
    const push = (url: string) =>
      staff(
        agency.users.dispatcher.accessToken,
        'POST',
        `/api/livehelp/chats/${conversationId}/push`,
        {
          url,
        },
      );

    const allowed = await push(`${SITE}/help/shelters?near=1`);
    expect(allowed.status).toBe(200);
    expect(await visitorSocket.waitFor('livehelp.push')).toMatchObject({
      url: `${SITE}/help/shelters?near=1`,
      mode: 'same_tab',
    });
    for (const url of [
      `${SITE}/admin`,
      `${SITE}/helpdesk`,
      'http://evil.test/help/',
      'javascript:alert(1)',
      `${SITE.replace('http:', 'https:')}/help/`,
    ]) {
      const refused = await push(url);
      expect(refused.status, url).toBe(400);
      expect(refused.body.code).toBe('livehelp.push_refused');
    }
    const someoneElse = await staff(
      agency.users.admin.accessToken,
      'POST',
      `/api/livehelp/chats/${conversationId}/push`,
      { url: `${SITE}/help/` },
    );
    expect(someoneElse.status).toBe(403);
    visitorSocket.socket.close();
  });

  it('keeps responders and observers out, and transfers to a colleague', async () => {
    const started = await startVisitor(api, agency.id);
    const id = started.body.session.conversationId;
    for (const role of ['responder', 'observer'] as const) {
      const response = await staff(
        agency.users[role].accessToken,
        'POST',
        `/api/livehelp/chats/${id}/accept`,
      );
      expect(response.status, role).toBe(403);
    }
    await staff(agency.users.dispatcher.accessToken, 'POST', `/api/livehelp/chats/${id}/accept`);
    const taken = await staff(
      agency.users.admin.accessToken,
      'POST',
      `/api/livehelp/chats/${id}/accept`,
    );
    expect(taken.status).toBe(409);

    const transferred = await staff(
      agency.users.dispatcher.accessToken,
      'POST',
      `/api/livehelp/chats/${id}/transfer`,
      { userId: agency.users.admin.id },
    );
    expect(transferred.status).toBe(200);
    expect(transferred.body.representativeId).toBe(agency.users.admin.id);
    const formerRead = await staff(
      agency.users.dispatcher.accessToken,
      'GET',
      `/api/conversations/${id}/messages`,
    );
    expect(formerRead.status).toBe(403);
    const toResponder = await staff(
      agency.users.admin.accessToken,
      'POST',
      `/api/livehelp/chats/${id}/transfer`,
      {
        userId: agency.users.responder.id,
      },
    );
    expect(toResponder.status).toBe(400);
  });

  it('closes a chat for good: the visitor token cannot send or resume it', async () => {
    const { token, conversationId } = await acceptedChat();
    const closed = await staff(
      agency.users.dispatcher.accessToken,
      'POST',
      `/api/livehelp/chats/${conversationId}/close`,
    );
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');

    expect((await sendAsVisitor(api, token, 'hello?')).status).toBe(409);
    const resumed = await asVisitor(api, token, 'POST', 'resume');
    expect(resumed.status).toBe(409);
    expect(resumed.body.code).toBe('livehelp.closed');
    const reaccept = await staff(
      agency.users.dispatcher.accessToken,
      'POST',
      `/api/livehelp/chats/${conversationId}/accept`,
    );
    expect(reaccept.status).toBe(409);
  });

  it('closes chats whose visitor left, once their token expired', async () => {
    const { token, conversationId, started } = await acceptedChat('Gone');
    const waiting = await startVisitor(api, agency.id, { name: 'Also gone' });
    const repSocket = connectLiveHelp(api.url, agency.users.dispatcher.accessToken);
    await repSocket.ready;
    await sql(
      api,
      `UPDATE livehelp_visitors SET token_expires_at = now() - interval '1 second'
        WHERE id = ANY($1::uuid[])`,
      [[started.session.visitorId, waiting.body.session.visitorId]],
    );

    expect(await api.app.get(AbandonedChatsService).runOnce()).toBe(2);
    expect((await repSocket.waitFor('livehelp.chat')).conversationId).toBe(conversationId);
    const chats = await staff(agency.users.dispatcher.accessToken, 'GET', '/api/livehelp/chats');
    const ids = [...chats.body.waiting, ...chats.body.mine].map(
      (chat: { conversationId: string }) => chat.conversationId,
    );
    expect(ids).not.toContain(conversationId);
    expect(ids).not.toContain(waiting.body.session.conversationId);
    expect((await asVisitor(api, token, 'POST', 'resume')).status).toBe(401);
    repSocket.socket.close();
  });

  it('resumes an open chat with its messages and a later expiry', async () => {
    const { token } = await acceptedChat();
    await sendAsVisitor(api, token, 'before reload');
    const resumed = await asVisitor(api, token, 'POST', 'resume');

    expect(resumed.status).toBe(200);
    expect(resumed.body.session.status).toBe('active');
    expect(resumed.body.messages.map((m: { body: string }) => m.body)).toEqual(['before reload']);
  });

  it('exports a visitor chat from the archive with the visitor’s words', async () => {
    const { token, conversationId } = await acceptedChat('Exported');
    await sendAsVisitor(api, token, 'please keep this');
    const exported = await staff(
      agency.users.admin.accessToken,
      'GET',
      `/api/conversations/${conversationId}/export`,
    );

    expect(exported.status).toBe(200);
    expect(exported.body.manifest.conversation.kind).toBe('livehelp');
    expect(exported.body.manifest.counts.messages).toBe(1);
    const line = JSON.parse(exported.body.jsonl.trim());
    expect(line).toMatchObject({ body: 'please keep this', senderId: null });
    expect(exported.body.transcript).toContain('Exported (visitor): please keep this');
    const listed = await staff(agency.users.admin.accessToken, 'GET', '/api/archive/conversations');
    expect(listed.body.some((c: { id: string }) => c.id === conversationId)).toBe(true);
  });
});

describe('public alerts in the widget', () => {
  it('shows active public alerts over the agency’s area only', async () => {
    const started = await startVisitor(api, agency.id);
    const token = started.body.token as string;
    expect((await asVisitor(api, token, 'GET', 'alerts')).body).toEqual([]);

    const visitorSocket = connectLiveHelp(api.url, token, SITE);
    await visitorSocket.ready;
    await configure(api, agency, { area: LYON_SQUARE });
    const post = (body: Record<string, unknown>) =>
      staff(agency.users.dispatcher.accessToken, 'POST', '/api/alerts', alertBody(body));
    const visible = await post({ scope: 'Public', headline: 'Boil water <b>now</b>' });
    const restricted = await post({ headline: 'Responders only' });
    const elsewhere = await post({
      scope: 'Public',
      headline: 'Far away',
      areas: [{ areaDesc: 'Paris', circle: { center: [2.35, 48.85], radiusMeters: 500 } }],
    });
    expect([visible.status, restricted.status, elsewhere.status]).toEqual([201, 201, 201]);

    const shown = await asVisitor(api, token, 'GET', 'alerts');
    expect(shown.body.map((alert: { headline: string }) => alert.headline)).toEqual([
      'Boil water <b>now</b>',
    ]);
    await staff(
      agency.users.dispatcher.accessToken,
      'POST',
      `/api/alerts/${visible.body.id}/cancel`,
      {},
    );
    expect((await asVisitor(api, token, 'GET', 'alerts')).body).toEqual([]);
    // Responder traffic never reaches a visitor's socket.
    expect(visitorSocket.received.filter(({ event }) => !event.startsWith('livehelp.'))).toEqual(
      [],
    );
    visitorSocket.socket.close();
  });

  it('refuses an invalid area, push prefixes off the allowed sites, malformed answers', async () => {
    const bad = [
      { area: { type: 'Point', coordinates: [1, 2] } },
      {
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 1],
              [1, 0],
              [0, 1],
              [0, 0],
            ],
          ],
        },
      },
      { pushPrefixes: ['https://elsewhere.test/'] },
      { allowedOrigins: ['https://site.test/path'] },
      { pushMode: 'popup' },
      { cannedAnswers: [[]] },
      { cannedAnswers: [{ title: 'Greeting' }] },
      { cannedAnswers: ['Hello'] },
    ];
    for (const body of bad) {
      const response = await staff(
        agency.users.admin.accessToken,
        'PUT',
        '/api/livehelp/settings',
        body,
      );
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const asDispatcher = await staff(
      agency.users.dispatcher.accessToken,
      'PUT',
      '/api/livehelp/settings',
      {},
    );
    expect(asDispatcher.status).toBe(403);
  });
});

describe('blocking', () => {
  it('ends the token at once and refuses new chats from the address', async () => {
    const other = await createAgency(api.url, world.operatorToken, 'Agency B');
    await configure(api, other, { allowedOrigins: [SITE] });
    const started = await startVisitor(api, other.id, { name: 'Troll' });
    const socket = connectLiveHelp(api.url, started.body.token, SITE);
    await socket.ready;
    const disconnected = new Promise<void>((resolve) =>
      socket.socket.once('disconnect', () => resolve()),
    );

    const blocked = await staff(
      other.users.dispatcher.accessToken,
      'POST',
      `/api/livehelp/chats/${started.body.session.conversationId}/block`,
      { minutes: 5 },
    );

    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ status: 'closed', blocked: true });
    await disconnected;
    expect((await asVisitor(api, started.body.token, 'GET', 'messages')).status).toBe(401);
    const again = await startVisitor(api, other.id);
    expect(again.status).toBe(403);
    expect(again.body.code).toBe('livehelp.blocked');
    expect((await startVisitor(api, agency.id)).status).toBe(201);
  });
});

describe('rate limits', () => {
  let limited: TestApp;
  let limitedAgency: TestAgency;

  beforeAll(async () => {
    const small = await startLiveHelpWorld({
      LIVEHELP_MESSAGES_PER_MINUTE: '3',
      LIVEHELP_SESSIONS_PER_HOUR_PER_ADDRESS: '2',
    });
    limited = small.api;
    limitedAgency = small.agency;
  });

  afterAll(async () => {
    await limited?.close();
  });

  it('answers 429 with Retry-After for too many messages from one visitor', async () => {
    const { token } = (await startVisitor(limited, limitedAgency.id)).body;
    for (let i = 0; i < 3; i++) {
      expect((await sendAsVisitor(limited, token, `message ${i}`)).status).toBe(201);
    }
    const fourth = await sendAsVisitor(limited, token, 'one too many');

    expect(fourth.status).toBe(429);
    expect(fourth.body.code).toBe('livehelp.rate_limited');
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await asVisitor(limited, token, 'GET', 'messages')).body).toHaveLength(3);
  });

  it('answers 429 with Retry-After for too many chats from one address', async () => {
    const second = await startVisitor(limited, limitedAgency.id);
    const third = await startVisitor(limited, limitedAgency.id);

    expect(second.status).toBe(201);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(third.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
  });
});
