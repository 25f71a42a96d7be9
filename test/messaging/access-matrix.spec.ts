import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../support/identity-factory';
import { TestSocket } from '../support/socket-client';
import { call, send, startChatWorld, type ChatWorld } from './chat-world';

/**
 * The chat access-control matrix, in the style of test/identity/access-matrix.spec.ts:
 * callers of two agencies, by their standing in agency A's group conversation, against
 * every chat route and socket event. A conversation the caller never belonged to does not
 * exist for them (404); a former member is refused (403); the archive is for administrators
 * of an agency that takes part.
 */
type Who =
  'A admin' | 'A dispatcher' | 'A member' | 'A former' | 'A none' | 'B admin' | 'B responder';
const CALLERS: Who[] = [
  'A admin',
  'A dispatcher',
  'A member',
  'A former',
  'A none',
  'B admin',
  'B responder',
];

interface Ctx {
  w: ChatWorld;
  users: Record<Who, TestUser>;
  /** Sent by the "A member" caller. */
  ownMessageId: string;
  /** Sent by another member. */
  otherMessageId: string;
}

interface RouteCase {
  name: string;
  method: string;
  path: (c: Ctx) => string;
  body?: (c: Ctx) => unknown;
  expected: Record<Who, number>;
}

const memberOnly = (ok: number): Record<Who, number> => ({
  'A admin': 404,
  'A dispatcher': 404,
  'A member': ok,
  'A former': 403,
  'A none': 404,
  'B admin': 404,
  'B responder': 404,
});
const archiveOfA: Record<Who, number> = {
  'A admin': 200,
  'A dispatcher': 403,
  'A member': 403,
  'A former': 403,
  'A none': 403,
  'B admin': 404,
  'B responder': 403,
};
const adminsOnly: Record<Who, number> = { ...archiveOfA, 'B admin': 200 };

const conv = (c: Ctx) => `/api/conversations/${c.w.conversationId}`;

const ROUTES: RouteCase[] = [
  { name: 'GET /conversations/:id', method: 'GET', path: conv, expected: memberOnly(200) },
  {
    name: 'GET /conversations/:id/messages',
    method: 'GET',
    path: (c) => `${conv(c)}/messages?afterSeq=0`,
    expected: memberOnly(200),
  },
  {
    name: 'POST /conversations/:id/messages',
    method: 'POST',
    path: (c) => `${conv(c)}/messages`,
    body: () => ({ clientId: randomUUID(), body: 'matrix' }),
    expected: memberOnly(201),
  },
  {
    name: 'GET /conversations/:id/members',
    method: 'GET',
    path: (c) => `${conv(c)}/members`,
    expected: memberOnly(200),
  },
  {
    name: 'PATCH own message',
    method: 'PATCH',
    path: (c) => `${conv(c)}/messages/${c.ownMessageId}`,
    body: () => ({ body: 'edited in the matrix' }),
    expected: memberOnly(200),
  },
  {
    name: "DELETE another member's message",
    method: 'DELETE',
    path: (c) => `${conv(c)}/messages/${c.otherMessageId}`,
    expected: memberOnly(403),
  },
  {
    name: 'POST /conversations/:id/read',
    method: 'POST',
    path: (c) => `${conv(c)}/read`,
    body: () => ({ seq: 1 }),
    expected: memberOnly(200),
  },
  {
    name: 'POST /conversations/:id/members (group managed)',
    method: 'POST',
    path: (c) => `${conv(c)}/members`,
    body: (c) => ({ userId: c.users['A none'].id }),
    expected: memberOnly(409),
  },
  {
    name: 'GET /conversations/:id/export',
    method: 'GET',
    path: (c) => `${conv(c)}/export`,
    expected: archiveOfA,
  },
  {
    name: 'PUT /conversations/:id/legal-hold',
    method: 'PUT',
    path: (c) => `${conv(c)}/legal-hold`,
    body: () => ({ hold: false }),
    expected: archiveOfA,
  },
  {
    name: 'GET /archive/conversations/:id/messages',
    method: 'GET',
    path: (c) => `/api/archive/conversations/${c.w.conversationId}/messages`,
    expected: archiveOfA,
  },
  {
    name: 'GET /archive/conversations',
    method: 'GET',
    path: () => '/api/archive/conversations',
    expected: adminsOnly,
  },
  {
    name: 'GET /messaging/policy',
    method: 'GET',
    path: () => '/api/messaging/policy',
    expected: adminsOnly,
  },
  {
    name: 'PUT /messaging/policy',
    method: 'PUT',
    path: () => '/api/messaging/policy',
    body: () => ({}),
    expected: adminsOnly,
  },
  {
    name: 'POST /conversations (group of A)',
    method: 'POST',
    path: () => '/api/conversations',
    body: (c) => ({ kind: 'group', groupId: c.w.groupId }),
    expected: {
      'A admin': 201,
      'A dispatcher': 201,
      'A member': 201,
      'A former': 403,
      'A none': 403,
      'B admin': 404,
      'B responder': 404,
    },
  },
];

interface SocketCase {
  event: string;
  payload: (c: Ctx) => unknown;
  /** The status of a refusal, or 0 when the call is answered ok. */
  expected: Record<Who, number>;
}

const socketMemberOnly = (): Record<Who, number> => ({ ...memberOnly(0) });

const SOCKET_EVENTS: SocketCase[] = [
  {
    event: 'message.send',
    payload: (c) => ({ conversationId: c.w.conversationId, clientId: randomUUID(), body: 'hi' }),
    expected: socketMemberOnly(),
  },
  {
    event: 'message.edit',
    payload: (c) => ({ conversationId: c.w.conversationId, messageId: c.ownMessageId, body: 'e' }),
    expected: socketMemberOnly(),
  },
  {
    event: 'message.delete',
    payload: (c) => ({ conversationId: c.w.conversationId, messageId: c.otherMessageId }),
    expected: memberOnly(403),
  },
  {
    event: 'message.read',
    payload: (c) => ({ conversationId: c.w.conversationId, seq: 1 }),
    expected: socketMemberOnly(),
  },
  {
    event: 'message.delivered',
    payload: (c) => ({ conversationId: c.w.conversationId, seq: 1 }),
    expected: socketMemberOnly(),
  },
  {
    event: 'typing',
    payload: (c) => ({ conversationId: c.w.conversationId, typing: false }),
    expected: socketMemberOnly(),
  },
  {
    event: 'presence.query',
    payload: (c) => ({ conversationId: c.w.conversationId }),
    expected: socketMemberOnly(),
  },
];

describe('chat access-control matrix', () => {
  const ctx = {} as Ctx;
  const sockets = new Map<Who, TestSocket>();

  beforeAll(async () => {
    const w = await startChatWorld();
    const op = w.operatorToken;
    const former = await createUser(w.api.url, op, w.a.id, 'responder');
    await call(w.api, w.a.users.admin, 'POST', `/api/groups/${w.groupId}/members`, {
      userId: former.id,
    });
    const users: Record<Who, TestUser> = {
      'A admin': w.a.users.admin,
      'A dispatcher': w.a.users.dispatcher,
      'A member': w.members[0],
      'A former': former,
      'A none': w.a.users.observer,
      'B admin': w.b.users.admin,
      'B responder': w.b.users.responder,
    };
    const own = await send(w.api, w.members[0], w.conversationId, 'mine');
    const other = await send(w.api, w.members[1], w.conversationId, 'theirs');
    const removed = await call(
      w.api,
      w.a.users.admin,
      'DELETE',
      `/api/groups/${w.groupId}/members/${former.id}`,
    );
    expect(removed.status).toBe(204);
    Object.assign(ctx, { w, users, ownMessageId: own.body.id, otherMessageId: other.body.id });
    for (const who of CALLERS) {
      sockets.set(who, await TestSocket.connect(w.api.url, users[who].accessToken));
    }
  });

  afterAll(async () => {
    for (const socket of sockets.values()) socket.close();
    await ctx.w?.api.close();
  });

  for (const route of ROUTES) {
    describe(route.name, () => {
      for (const who of CALLERS) {
        it(who, async () => {
          const answer = await call(
            ctx.w.api,
            ctx.users[who],
            route.method,
            route.path(ctx),
            route.body?.(ctx),
          );

          expect(answer.status, JSON.stringify(answer.body)).toBe(route.expected[who]);
          if (who.startsWith('B')) {
            expect(JSON.stringify(answer.body)).not.toContain('mine');
            if (answer.status === 200 && Array.isArray(answer.body)) {
              expect(answer.body.some((c: any) => c.id === ctx.w.conversationId)).toBe(false);
            }
          }
        });
      }
    });
  }

  for (const event of SOCKET_EVENTS) {
    describe(`socket ${event.event}`, () => {
      for (const who of CALLERS) {
        it(who, async () => {
          const answer = await sockets.get(who)!.emit(event.event, event.payload(ctx));
          const status = answer.ok ? 0 : answer.error.statusCode;

          expect(status, JSON.stringify(answer)).toBe(event.expected[who]);
        });
      }
    });
  }

  describe('socket conversation.catchUp', () => {
    for (const who of CALLERS) {
      it(who, async () => {
        const answer = await sockets.get(who)!.emit('conversation.catchUp', {
          positions: { [ctx.w.conversationId]: 0 },
        });

        expect(answer.ok).toBe(true);
        const member = who === 'A member';
        expect(answer.data.refused).toEqual(member ? [] : [ctx.w.conversationId]);
        if (!member) expect(JSON.stringify(answer.data)).not.toContain('mine');
      });
    }
  });
});
