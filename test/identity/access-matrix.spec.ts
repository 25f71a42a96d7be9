import { randomBytes } from 'node:crypto';
import { USER_ROLES, type UserRole } from '@tocsin/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, identityEnv, loginOperator, type TestUser } from '../support/identity-factory';
import { request, startTestApp, type TestApp } from '../support/test-app';

/**
 * The access-control matrix: two agencies × every role × the caller's standing in a group
 * owned by agency A (lead, member, former member, non-member) × every route. Agency B's
 * staff never read or change anything of A's: every such cell answers 404 and leaks nothing.
 *
 * To cover a new route, add a descriptor to ROUTES: how to call it, and which status each
 * caller gets. B's callers hold the same standing in a group of their own agency, and B was
 * once a partner of A's group (B's "former" members left it when the partnership ended).
 */
type Agency = 'A' | 'B';
type Standing = 'lead' | 'member' | 'former' | 'none';
const STANDINGS: Standing[] = ['lead', 'member', 'former', 'none'];

interface Caller {
  agency: Agency;
  role: UserRole;
  standing: Standing;
  user: TestUser;
}

interface World {
  api: TestApp;
  agencyA: string;
  agencyB: string;
  agencyC: string;
  groupA: string;
  adminA: TestUser;
  /** A user of A whom cells change (role, name, membership) and put back. */
  spareA: TestUser;
  userB: string;
}

interface RouteCase {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: (w: World, c: Caller) => string;
  body?: (w: World, c: Caller) => unknown;
  /** The status this caller must get. */
  expected: (c: Caller) => number;
  /** Puts the world in the state the call expects (run as A's administrator). */
  before?: (w: World, c: Caller) => Promise<void>;
  /** Puts back what an allowed call changed. */
  after?: (w: World, c: Caller) => Promise<void>;
  /** B's own log records its past partnership in A's group, so it may name that group. */
  mayNameGroupA?: boolean;
  /** Extra checks on an allowed answer. */
  check?: (w: World, c: Caller, body: any) => void;
}

const ownA = (c: Caller) => c.agency === 'A';
const isAdmin = (c: Caller) => c.role === 'admin';
const inGroup = (c: Caller) => c.standing === 'lead' || c.standing === 'member';
/** B's staff: the resource does not exist for them. */
const hidden = (allowed: number, deniedInA: number) => (c: Caller) =>
  !ownA(c) ? 404 : allowed === deniedInA ? allowed : deniedInA;
const unique = () => randomBytes(4).toString('hex');

async function call(w: World, token: string, method: string, path: string, body?: unknown) {
  // CAP is XML: POST /api/cap takes the body as a CAP document.
  const headers = path === '/api/cap' ? { 'content-type': 'application/cap+xml' } : undefined;

  return request(`${w.api.url}${path}`, { method, token, body, headers });
}

async function asAdmin(w: World, method: string, path: string, body?: unknown) {
  return call(w, w.adminA.accessToken, method, path, body);
}

async function ensureMember(w: World, userId: string, present: boolean): Promise<void> {
  if (present) {
    await asAdmin(w, 'POST', `/api/groups/${w.groupA}/members`, { userId, role: 'member' });
  } else {
    await asAdmin(w, 'DELETE', `/api/groups/${w.groupA}/members/${userId}`);
  }
}

const ROUTES: RouteCase[] = [
  {
    name: 'GET /api/me',
    method: 'GET',
    path: () => '/api/me',
    expected: () => 200,
    check: (_w, c, body) => expect(body.id).toBe(c.user.id),
  },
  {
    name: 'GET /api/agencies',
    method: 'GET',
    path: () => '/api/agencies',
    expected: () => 200,
    check: (_w, c, body) => expect(body.map((a: any) => a.id)).toEqual([c.user.agencyId]),
  },
  {
    name: 'POST /api/agencies',
    method: 'POST',
    path: () => '/api/agencies',
    body: () => ({ name: `Rogue ${unique()}` }),
    expected: () => 403,
  },
  {
    name: 'GET /api/agencies/:A',
    method: 'GET',
    path: (w) => `/api/agencies/${w.agencyA}`,
    expected: hidden(200, 200),
  },
  {
    name: 'GET /api/agencies/:A/users',
    method: 'GET',
    path: (w) => `/api/agencies/${w.agencyA}/users`,
    expected: (c) => (!ownA(c) ? 404 : ['admin', 'dispatcher'].includes(c.role) ? 200 : 403),
  },
  {
    name: 'POST /api/agencies/:A/users',
    method: 'POST',
    path: (w) => `/api/agencies/${w.agencyA}/users`,
    body: () => ({ email: `new-${unique()}@a.test`, displayName: 'New', role: 'responder' }),
    expected: (c) => (!ownA(c) ? 404 : isAdmin(c) ? 201 : 403),
  },
  {
    name: 'GET /api/users/:spareA',
    method: 'GET',
    path: (w) => `/api/users/${w.spareA.id}`,
    expected: (c) => (!ownA(c) ? 404 : ['admin', 'dispatcher'].includes(c.role) ? 200 : 403),
  },
  {
    name: 'PATCH /api/users/:spareA (rename)',
    method: 'PATCH',
    path: (w) => `/api/users/${w.spareA.id}`,
    body: () => ({ displayName: `Spare ${unique()}` }),
    expected: (c) => (!ownA(c) ? 404 : isAdmin(c) ? 200 : 403),
  },
  {
    name: 'PATCH /api/users/:spareA (role)',
    method: 'PATCH',
    path: (w) => `/api/users/${w.spareA.id}`,
    body: () => ({ role: 'observer' }),
    expected: (c) => (!ownA(c) ? 404 : isAdmin(c) ? 200 : 403),
    after: async (w) => {
      await asAdmin(w, 'PATCH', `/api/users/${w.spareA.id}`, { role: 'responder' });
    },
  },
  {
    name: 'POST /api/users/:spareA/disable',
    method: 'POST',
    path: (w) => `/api/users/${w.spareA.id}/disable`,
    expected: (c) => (!ownA(c) ? 404 : isAdmin(c) ? 200 : 403),
    after: async (w) => {
      await asAdmin(w, 'POST', `/api/users/${w.spareA.id}/enable`);
    },
  },
  {
    name: 'POST /api/users/:spareA/enable',
    method: 'POST',
    path: (w) => `/api/users/${w.spareA.id}/enable`,
    expected: (c) => (!ownA(c) ? 404 : isAdmin(c) ? 200 : 403),
  },
  {
    name: 'POST /api/groups',
    method: 'POST',
    path: () => '/api/groups',
    body: () => ({ name: `Group ${unique()}` }),
    expected: (c) => (isAdmin(c) ? 201 : 403),
    check: (_w, c, body) => expect(body.agencyId).toBe(c.user.agencyId),
  },
  {
    name: 'GET /api/groups',
    method: 'GET',
    path: () => '/api/groups',
    expected: () => 200,
    check: (w, c, body) => {
      expect(body.some((g: any) => g.id === w.groupA)).toBe(ownA(c));
      expect(body.every((g: any) => g.agencyId === c.user.agencyId)).toBe(true);
    },
  },
  {
    name: 'GET /api/groups/:A',
    method: 'GET',
    path: (w) => `/api/groups/${w.groupA}`,
    expected: hidden(200, 200),
  },
  {
    name: 'PATCH /api/groups/:A',
    method: 'PATCH',
    path: (w) => `/api/groups/${w.groupA}`,
    body: () => ({ name: 'Group A' }),
    expected: (c) => (!ownA(c) ? 404 : isAdmin(c) ? 200 : 403),
  },
  {
    name: 'POST /api/groups/:A/members (a user of A)',
    method: 'POST',
    path: (w) => `/api/groups/${w.groupA}/members`,
    body: (w) => ({ userId: w.spareA.id }),
    before: (w) => ensureMember(w, w.spareA.id, false),
    expected: (c) => (!ownA(c) ? 404 : isAdmin(c) || c.standing === 'lead' ? 200 : 403),
  },
  {
    name: 'POST /api/groups/:A/members (self, same role)',
    method: 'POST',
    path: (w) => `/api/groups/${w.groupA}/members`,
    body: (_w, c) => ({ userId: c.user.id, role: c.standing === 'lead' ? 'lead' : 'member' }),
    expected: (c) => (!ownA(c) ? 404 : isAdmin(c) || inGroup(c) ? 200 : 403),
    after: async (w, c) => {
      if (!inGroup(c)) await ensureMember(w, c.user.id, false);
    },
  },
  {
    name: 'POST /api/groups/:A/members (a user of B)',
    method: 'POST',
    path: (w) => `/api/groups/${w.groupA}/members`,
    body: (w) => ({ userId: w.userB }),
    expected: () => 404,
  },
  {
    name: 'DELETE /api/groups/:A/members/:spareA',
    method: 'DELETE',
    path: (w) => `/api/groups/${w.groupA}/members/${w.spareA.id}`,
    before: (w) => ensureMember(w, w.spareA.id, true),
    expected: (c) => (!ownA(c) ? 404 : isAdmin(c) || c.standing === 'lead' ? 204 : 403),
  },
  {
    name: 'DELETE /api/groups/:A/members/:self (leave)',
    method: 'DELETE',
    path: (w, c) => `/api/groups/${w.groupA}/members/${c.user.id}`,
    expected: (c) => (!ownA(c) ? 404 : inGroup(c) ? 204 : 404),
    after: async (w, c) => {
      if (ownA(c) && inGroup(c)) {
        await asAdmin(w, 'POST', `/api/groups/${w.groupA}/members`, {
          userId: c.user.id,
          role: c.standing,
        });
      }
    },
  },
  {
    name: 'POST /api/groups/:A/partners',
    method: 'POST',
    path: (w) => `/api/groups/${w.groupA}/partners`,
    body: (w) => ({ agencyId: w.agencyC }),
    expected: (c) => (!ownA(c) ? 404 : isAdmin(c) ? 204 : 403),
    after: async (w) => {
      await asAdmin(w, 'DELETE', `/api/groups/${w.groupA}/partners/${w.agencyC}`);
    },
  },
  {
    name: 'POST /api/groups/:A/partners/accept',
    method: 'POST',
    path: (w) => `/api/groups/${w.groupA}/partners/accept`,
    expected: () => 404,
  },
  {
    name: 'DELETE /api/groups/:A/partners/:B',
    method: 'DELETE',
    path: (w) => `/api/groups/${w.groupA}/partners/${w.agencyB}`,
    // B is no longer a partner: A's admin learns so (404); B's staff see no group (404).
    expected: (c) => (!ownA(c) ? 404 : isAdmin(c) ? 404 : 403),
  },
  {
    name: 'GET /api/groups/invitations',
    method: 'GET',
    path: () => '/api/groups/invitations',
    expected: (c) => (isAdmin(c) ? 200 : 403),
    check: (w, _c, body) => expect(body.every((i: any) => i.groupId !== w.groupA)).toBe(true),
  },
  {
    name: 'GET /api/feeds/sources',
    method: 'GET',
    path: () => '/api/feeds/sources',
    expected: (c) => (isAdmin(c) ? 200 : 403),
    check: (_w, c, body) =>
      expect(body.every((f: any) => f.agencyId === c.user.agencyId)).toBe(true),
  },
  {
    name: 'POST /api/feeds/sources (a private address)',
    method: 'POST',
    path: () => '/api/feeds/sources',
    body: () => ({ url: 'https://10.1.2.3/alerts.atom', kind: 'atom' }),
    expected: (c) => (isAdmin(c) ? 400 : 403),
  },
  {
    name: 'GET /api/feeds/sources/:unknown',
    method: 'GET',
    path: () => '/api/feeds/sources/00000000-0000-4000-8000-000000000000',
    expected: (c) => (isAdmin(c) ? 404 : 403),
  },
  {
    name: 'DELETE /api/feeds/sources/:unknown',
    method: 'DELETE',
    path: () => '/api/feeds/sources/00000000-0000-4000-8000-000000000000',
    expected: (c) => (isAdmin(c) ? 404 : 403),
  },
  {
    name: 'POST /api/cap (an invalid message)',
    method: 'POST',
    path: () => '/api/cap',
    body: () => '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>',
    expected: (c) => (['admin', 'dispatcher'].includes(c.role) ? 400 : 403),
  },
  {
    name: 'GET /api/alerts/:unknown/cap',
    method: 'GET',
    path: () => '/api/alerts/00000000-0000-4000-8000-000000000000/cap',
    expected: () => 404,
  },
  {
    name: 'GET /api/feeds/public.atom',
    method: 'GET',
    path: () => '/api/feeds/public.atom',
    expected: () => 200,
  },
  {
    name: 'GET /api/audit',
    method: 'GET',
    path: () => '/api/audit?limit=200',
    expected: (c) => (isAdmin(c) ? 200 : 403),
    mayNameGroupA: true,
    check: (_w, c, body) => {
      expect(body.items.length).toBeGreaterThan(0);
      expect(body.items.every((e: any) => e.agencyId === c.user.agencyId)).toBe(true);
    },
  },
  {
    name: 'GET /api/audit/verify',
    method: 'GET',
    path: () => '/api/audit/verify',
    expected: (c) => (isAdmin(c) ? 200 : 403),
    check: (_w, _c, body) => expect(body.ok).toBe(true),
  },
];

describe('access-control matrix', () => {
  const world = {} as World;
  const callers: Caller[] = [];

  beforeAll(async () => {
    const api = await startTestApp(identityEnv());
    const operator = await loginOperator(api.url);
    const op = operator.accessToken;
    const agencyIds: string[] = [];
    for (const name of ['Agency A', 'Agency B', 'Agency C']) {
      const created = await request(`${api.url}/api/agencies`, {
        method: 'POST',
        token: op,
        body: { name },
      });
      agencyIds.push(created.body.id);
    }
    const [agencyA, agencyB, agencyC] = agencyIds;
    const adminA = await createUser(api.url, op, agencyA, 'admin');
    const adminB = await createUser(api.url, op, agencyB, 'admin');
    const spareA = await createUser(api.url, op, agencyA, 'responder');
    Object.assign(world, { api, agencyA, agencyB, agencyC, adminA, spareA, userB: adminB.id });

    const groupA = await request(`${api.url}/api/groups`, {
      method: 'POST',
      token: adminA.accessToken,
      body: { name: 'Group A', interagency: true },
    });
    const groupB = await request(`${api.url}/api/groups`, {
      method: 'POST',
      token: adminB.accessToken,
      body: { name: 'Group B' },
    });
    world.groupA = groupA.body.id;
    // B joins A's group for a while, so that B's "former" members really were in it.
    await asAdmin(world, 'POST', `/api/groups/${world.groupA}/partners`, { agencyId: agencyB });
    await call(world, adminB.accessToken, 'POST', `/api/groups/${world.groupA}/partners/accept`);

    for (const agency of ['A', 'B'] as Agency[]) {
      const agencyId = agency === 'A' ? agencyA : agencyB;
      const admin = agency === 'A' ? adminA : adminB;
      const homeGroup = agency === 'A' ? world.groupA : groupB.body.id;
      for (const role of USER_ROLES) {
        for (const standing of STANDINGS) {
          const user = await createUser(api.url, op, agencyId, role);
          if (standing !== 'none') {
            const target = standing === 'former' ? world.groupA : homeGroup;
            const role = standing === 'lead' ? 'lead' : 'member';
            const added = await call(
              world,
              admin.accessToken,
              'POST',
              `/api/groups/${target}/members`,
              {
                userId: user.id,
                role,
              },
            );
            expect(added.status).toBe(200);
          }
          callers.push({ agency, role, standing, user });
        }
      }
    }
    // A's former members leave; B's leave with the end of the partnership.
    for (const c of callers.filter((c) => c.standing === 'former' && c.agency === 'A')) {
      await asAdmin(world, 'DELETE', `/api/groups/${world.groupA}/members/${c.user.id}`);
    }
    const ended = await asAdmin(world, 'DELETE', `/api/groups/${world.groupA}/partners/${agencyB}`);
    expect(ended.status).toBe(204);
  });

  afterAll(async () => {
    await world.api?.close();
  });

  for (const route of ROUTES) {
    describe(route.name, () => {
      for (const agency of ['A', 'B'] as Agency[]) {
        for (const role of USER_ROLES) {
          for (const standing of STANDINGS) {
            it(`${agency} ${role} ${standing}`, async () => {
              const caller = callers.find(
                (c) => c.agency === agency && c.role === role && c.standing === standing,
              )!;
              await route.before?.(world, caller);
              const response = await call(
                world,
                caller.user.accessToken,
                route.method,
                route.path(world, caller),
                route.body?.(world, caller),
              );
              const expected = route.expected(caller);

              expect(response.status, JSON.stringify(response.body)).toBe(expected);
              if (expected < 300) route.check?.(world, caller, response.body);
              if (!ownA(caller) && !route.mayNameGroupA) {
                expect(JSON.stringify(response.body)).not.toContain(world.groupA);
              }
              if (expected < 300) await route.after?.(world, caller);
            });
          }
        }
      }
    });
  }
});
