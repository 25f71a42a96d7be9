import { USER_ROLES, type UserRole } from '@tocsin/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBody } from '../support/alert-factory';
import {
  createAgency,
  createUser,
  identityEnv,
  loginOperator,
  type TestUser,
} from '../support/identity-factory';
import { TestSocket } from '../support/socket-client';
import { request, startTestApp, type TestApp } from '../support/test-app';

/**
 * The access-control matrix of alerts: two agencies × every role × recipient or not × every
 * alert route and socket event. Agency A sends; agency B's users never see A's alert (404)
 * and never change it (403 for management, as the outside contract says).
 */
type Agency = 'A' | 'B';
type Standing = 'recipient' | 'bystander';

interface Caller {
  agency: Agency;
  role: UserRole;
  standing: Standing;
  user: TestUser;
}

interface World {
  api: TestApp;
  groupA: string;
  dispatcherA: TestUser;
  /** A live alert of A, sent to groupA. */
  alertA: string;
}

interface Case {
  name: string;
  /** Performs the call and returns the status (HTTP) or error status (socket, 200 when ok). */
  run: (w: World, c: Caller) => Promise<number>;
  expected: (c: Caller) => number;
}

const ownA = (c: Caller) => c.agency === 'A';
/** Which agency each user belongs to, to check that lists never cross agencies. */
const agencyOf = new Map<string, Agency>();
const sender = (c: Caller) => c.role === 'admin' || c.role === 'dispatcher';
const staff = (c: Caller) => c.role !== 'responder';

async function sendAlert(w: World, headline: string): Promise<string> {
  const sent = await request(`${w.api.url}/api/alerts`, {
    method: 'POST',
    token: w.dispatcherA.accessToken,
    body: alertBody({ groupIds: [w.groupA], headline }),
  });

  return sent.body.id;
}

async function http(w: World, c: Caller, method: string, path: string, body?: unknown) {
  return (await request(`${w.api.url}${path}`, { method, token: c.user.accessToken, body })).status;
}

async function socketCall(w: World, c: Caller, event: string, payload: unknown): Promise<number> {
  const socket = await TestSocket.connect(w.api.url, c.user.accessToken, { autoAck: false });
  try {
    const answer = await socket.emit(event, payload);

    return answer.ok ? 200 : answer.error.statusCode;
  } finally {
    socket.close();
  }
}

const CASES: Case[] = [
  {
    name: 'POST /api/alerts (dry run, A’s group)',
    run: (w, c) =>
      http(w, c, 'POST', '/api/alerts', alertBody({ groupIds: [w.groupA], dryRun: true })),
    expected: (c) => (ownA(c) && sender(c) ? 200 : 403),
  },
  {
    name: 'POST /api/alerts (dry run, area only)',
    run: (w, c) => http(w, c, 'POST', '/api/alerts', alertBody({ dryRun: true })),
    expected: (c) => (sender(c) ? 200 : 403),
  },
  {
    name: 'GET /api/alerts/:id',
    run: (w, c) => http(w, c, 'GET', `/api/alerts/${w.alertA}`),
    expected: (c) => (ownA(c) ? 200 : 404),
  },
  {
    name: 'GET /api/alerts/:id/recipients',
    run: (w, c) => http(w, c, 'GET', `/api/alerts/${w.alertA}/recipients`),
    expected: (c) => (!ownA(c) ? 404 : staff(c) ? 200 : 403),
  },
  {
    name: 'POST /api/alerts/:id/responses',
    run: (w, c) =>
      http(w, c, 'POST', `/api/alerts/${w.alertA}/responses`, { status: 'acknowledged' }),
    expected: (c) => (!ownA(c) ? 404 : c.standing === 'recipient' ? 200 : 403),
  },
  {
    name: 'POST /api/alerts/:id/update',
    run: (w, c) =>
      http(w, c, 'POST', `/api/alerts/${w.alertA}/update`, { instruction: `by ${c.role}` }),
    expected: (c) => (ownA(c) && sender(c) ? 200 : 403),
  },
  {
    name: 'POST /api/alerts/:id/cancel (a fresh alert each time)',
    run: async (w, c) =>
      http(w, c, 'POST', `/api/alerts/${await sendAlert(w, 'to cancel')}/cancel`, {}),
    expected: (c) => (ownA(c) && sender(c) ? 200 : 403),
  },
  {
    name: 'GET /api/alerts (lists A’s alert only to A)',
    run: async (w, c) => {
      const { status, body } = await request(`${w.api.url}/api/alerts`, {
        token: c.user.accessToken,
      });
      const listed = (body as { id: string }[]).some((alert) => alert.id === w.alertA);

      return status === 200 && listed !== ownA(c) ? 418 : status;
    },
    expected: () => 200,
  },
  {
    name: 'PUT /api/me/location',
    run: (w, c) => http(w, c, 'PUT', '/api/me/location', { lat: 10, lon: 10, accuracy: 5 }),
    expected: () => 200,
  },
  {
    name: 'GET /api/responders/positions (own agency only)',
    run: async (w, c) => {
      const { status, body } = await request(`${w.api.url}/api/responders/positions`, {
        token: c.user.accessToken,
      });
      if (status !== 200) return status;
      const foreign = (body as { userId: string }[]).filter(
        (p) => agencyOf.get(p.userId) !== c.agency,
      );

      return foreign.length > 0 || (body as unknown[]).length === 0 ? 418 : 200;
    },
    expected: (c) => (staff(c) ? 200 : 403),
  },
  {
    name: 'socket alert.respond',
    run: (w, c) => socketCall(w, c, 'alert.respond', { alertId: w.alertA, status: 'on_scene' }),
    expected: (c) => (!ownA(c) ? 404 : c.standing === 'recipient' ? 200 : 403),
  },
  {
    name: 'socket alert.ack',
    run: (w, c) => socketCall(w, c, 'alert.ack', { alertId: w.alertA, seq: 1 }),
    expected: (c) => (!ownA(c) ? 404 : c.standing === 'recipient' ? 200 : 403),
  },
];

describe('alerts access-control matrix', () => {
  const world = {} as World;
  const callers: Caller[] = [];

  beforeAll(async () => {
    world.api = await startTestApp(identityEnv());
    const operator = await loginOperator(world.api.url);
    for (const agency of ['A', 'B'] as const) {
      const created = await createAgency(world.api.url, operator.accessToken);
      const admin = created.users.admin;
      const group = await request(`${world.api.url}/api/groups`, {
        method: 'POST',
        token: admin.accessToken,
        body: { name: `Group ${agency}` },
      });
      for (const role of USER_ROLES) {
        const member = await createUser(world.api.url, operator.accessToken, created.id, role);
        await request(`${world.api.url}/api/groups/${group.body.id}/members`, {
          method: 'POST',
          token: admin.accessToken,
          body: { userId: member.id },
        });
        callers.push({ agency, role, standing: 'recipient', user: member });
        agencyOf.set(member.id, agency);
        agencyOf.set(created.users[role].id, agency);
        callers.push({ agency, role, standing: 'bystander', user: created.users[role] });
      }
      if (agency === 'A') {
        world.groupA = group.body.id;
        world.dispatcherA = created.users.dispatcher;
      }
    }
    world.alertA = await sendAlert(world, 'Matrix alert');
  });

  afterAll(async () => {
    await world.api?.close();
  });

  for (const route of CASES) {
    it(route.name, async () => {
      const mismatches: string[] = [];
      for (const caller of callers) {
        const status = await route.run(world, caller);
        const expected = route.expected(caller);
        if (status !== expected) {
          mismatches.push(
            `${caller.agency}/${caller.role}/${caller.standing}: ${status} ≠ ${expected}`,
          );
        }
      }

      expect(mismatches).toEqual([]);
    });
  }
});
