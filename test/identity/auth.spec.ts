import { IdentityEvents } from '@tocsin/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgency,
  createUser,
  identityEnv,
  login,
  loginOperator,
  OPERATOR,
  type TestAgency,
} from '../support/identity-factory';
import { sql } from '../support/sql';
import { request, startTestApp, type TestApp } from '../support/test-app';

describe('login, sessions and users', () => {
  let api: TestApp;
  let agency: TestAgency;
  let operatorToken: string;

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    operatorToken = (await loginOperator(api.url)).accessToken;
    agency = await createAgency(api.url, operatorToken);
  });

  afterAll(async () => {
    await api?.close();
  });

  const post = (path: string, body?: unknown, token?: string) =>
    request(`${api.url}${path}`, { method: 'POST', body, token });
  const me = (token: string) => request(`${api.url}/api/me`, { token });

  describe('the platform operator', () => {
    it('is created once, in the Platform agency, and manages agencies', async () => {
      const self = await me(operatorToken);
      expect(self.body).toMatchObject({ email: OPERATOR.email, isOperator: true, role: 'admin' });
      expect(self.body.agency.name).toBe('Platform');

      const list = await request(`${api.url}/api/agencies`, { token: operatorToken });
      expect(list.body.map((a: any) => a.id)).toEqual(
        expect.arrayContaining([self.body.agencyId, agency.id]),
      );
      const operators = await sql(api, 'SELECT count(*)::int AS n FROM users WHERE is_operator');
      expect(operators[0].n).toBe(1);
    });

    it('refuses a second agency with the same name (any case)', async () => {
      const again = await post('/api/agencies', { name: agency.name.toUpperCase() }, operatorToken);
      expect(again.status).toBe(409);
    });
  });

  describe('login', () => {
    it('answers a wrong password and an unknown email the same way', async () => {
      const user = await createUser(api.url, operatorToken, agency.id, 'observer');
      const wrong = await post('/api/auth/login', {
        email: user.email,
        password: 'nope-nope-nope',
      });
      const unknown = await post('/api/auth/login', { email: 'ghost@x.test', password: 'nope' });

      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.message).toBe(unknown.body.message);
    });

    it('accepts the email in any case', async () => {
      const user = await createUser(api.url, operatorToken, agency.id, 'observer');
      expect(
        (await login(api.url, user.email.toUpperCase(), user.password)).accessToken,
      ).toBeTruthy();
    });

    it('refuses bodies of the wrong shape with 400', async () => {
      for (const body of [
        {},
        { email: ['a'], password: 'x' },
        { email: 'a', password: null },
        [],
      ]) {
        expect((await post('/api/auth/login', body)).status).toBe(400);
      }
    });
  });

  describe('refresh tokens', () => {
    it('rotate on every use', async () => {
      const user = agency.users.dispatcher;
      const first = await post('/api/auth/refresh', { refreshToken: user.refreshToken });

      expect(first.status).toBe(200);
      expect(first.body.refreshToken).not.toBe(user.refreshToken);
      expect((await me(first.body.accessToken)).status).toBe(200);

      const second = await post('/api/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(second.status).toBe(200);
      expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
      user.accessToken = second.body.accessToken;
      user.refreshToken = second.body.refreshToken;
    });

    it('revoke the whole session when a spent one is used again', async () => {
      const user = await createUser(api.url, operatorToken, agency.id, 'responder');
      const rotated = await post('/api/auth/refresh', { refreshToken: user.refreshToken });
      expect(rotated.status).toBe(200);

      const replay = await post('/api/auth/refresh', { refreshToken: user.refreshToken });

      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe('auth.refresh_reused');
      expect(
        (await post('/api/auth/refresh', { refreshToken: rotated.body.refreshToken })).status,
      ).toBe(401);
      expect((await me(rotated.body.accessToken)).status).toBe(401);
      expect((await me(user.accessToken)).status).toBe(401);
    });

    it('revoke a family even when two uses race', async () => {
      const user = await createUser(api.url, operatorToken, agency.id, 'responder');
      const results = await Promise.all(
        [1, 2].map(() => post('/api/auth/refresh', { refreshToken: user.refreshToken })),
      );

      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
      const winner = results.find((r) => r.status === 200)!;
      expect((await me(winner.body.accessToken)).status).toBe(401);
    });

    it('refuse garbage, an access token, and a token after logout', async () => {
      const user = await createUser(api.url, operatorToken, agency.id, 'observer');
      for (const refreshToken of ['x', user.accessToken.slice(0, 43), 'A'.repeat(43)]) {
        expect((await post('/api/auth/refresh', { refreshToken })).status).toBe(401);
      }
      expect((await post('/api/auth/refresh', { refreshToken: { $ne: null } })).status).toBe(400);
      const access = await post('/api/auth/refresh', { refreshToken: user.accessToken });
      expect(access.status).toBe(400);

      expect((await post('/api/auth/logout', undefined, user.accessToken)).status).toBe(204);
      expect((await post('/api/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(
        401,
      );
    });
  });

  describe('users', () => {
    it('invites a user who sets their password through the public route', async () => {
      const created = await post(
        `/api/agencies/${agency.id}/users`,
        { email: 'Invited@Agency.test', displayName: 'Invited', role: 'responder' },
        agency.users.admin.accessToken,
      );
      expect(created.status).toBe(201);
      expect(created.body.user).toMatchObject({ email: 'invited@agency.test', hasPassword: false });
      const { token, url } = created.body.invitation;
      expect(url).toContain(`#token=${token}`);
      expect(
        (await post('/api/auth/login', { email: 'invited@agency.test', password: '' })).status,
      ).toBe(401);

      expect((await post('/api/invitations/accept', { token, password: 'short' })).status).toBe(
        400,
      );
      const accepted = await post('/api/invitations/accept', {
        token,
        password: 'a-fine-long-password',
      });
      expect(accepted.status).toBe(204);
      const again = await post('/api/invitations/accept', {
        token,
        password: 'another-long-password',
      });
      expect(again.status).toBe(400);

      const pair = await login(api.url, 'invited@agency.test', 'a-fine-long-password');
      expect((await me(pair.accessToken)).body.mustChangePassword).toBe(false);
    });

    it('flags a password set by an administrator until the user changes it', async () => {
      const user = await createUser(
        api.url,
        agency.users.admin.accessToken,
        agency.id,
        'responder',
        { keepTemporaryPassword: true },
      );
      const other = await login(api.url, user.email, user.password);
      expect((await me(user.accessToken)).body.mustChangePassword).toBe(true);
      const blocked = await request(`${api.url}/api/alerts`, { token: user.accessToken });
      expect(blocked.status).toBe(403);
      expect(blocked.body.code).toBe('password.change_required');

      const wrong = await request(`${api.url}/api/me/password`, {
        method: 'PUT',
        token: user.accessToken,
        body: { currentPassword: 'not-it-at-all', newPassword: 'brand-new-password' },
      });
      expect(wrong.status).toBe(403);
      const changed = await request(`${api.url}/api/me/password`, {
        method: 'PUT',
        token: user.accessToken,
        body: { currentPassword: user.password, newPassword: 'brand-new-password' },
      });
      expect(changed.status).toBe(204);

      expect((await me(user.accessToken)).body.mustChangePassword).toBe(false);
      expect((await me(other.accessToken)).status).toBe(401);
      expect(
        (await post('/api/auth/login', { email: user.email, password: user.password })).status,
      ).toBe(401);
      expect((await login(api.url, user.email, 'brand-new-password')).accessToken).toBeTruthy();
    });

    it('applies a role change to the very next request and tells listeners', async () => {
      const events: unknown[] = [];
      const off = api.app.get(IdentityEvents).on('user.changed', (e) => events.push(e));
      const user = await createUser(api.url, operatorToken, agency.id, 'responder');
      expect((await request(`${api.url}/api/audit`, { token: user.accessToken })).status).toBe(403);

      await request(`${api.url}/api/users/${user.id}`, {
        method: 'PATCH',
        token: agency.users.admin.accessToken,
        body: { role: 'admin' },
      });

      expect((await request(`${api.url}/api/audit`, { token: user.accessToken })).status).toBe(200);
      expect(events).toContainEqual({
        userId: user.id,
        agencyId: agency.id,
        disabled: false,
        role: 'admin',
      });
      off();
    });

    it('ends every session of a disabled user at once, and lets them back when enabled', async () => {
      const ended: any[] = [];
      const off = api.app.get(IdentityEvents).on('session.ended', (e) => ended.push(e));
      const user = await createUser(api.url, operatorToken, agency.id, 'dispatcher');
      const admin = agency.users.admin.accessToken;

      await post(`/api/users/${user.id}/disable`, undefined, admin);
      expect((await me(user.accessToken)).status).toBe(401);
      expect(
        (await post('/api/auth/login', { email: user.email, password: user.password })).status,
      ).toBe(401);
      expect((await post('/api/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(
        401,
      );
      expect(ended.some((e) => e.userId === user.id && e.reason === 'disabled')).toBe(true);

      await post(`/api/users/${user.id}/enable`, undefined, admin);
      expect((await login(api.url, user.email, user.password)).accessToken).toBeTruthy();
      off();
    });

    it('refuses an administrator changing their own role or disabling themselves', async () => {
      const admin = agency.users.admin;
      const role = await request(`${api.url}/api/users/${admin.id}`, {
        method: 'PATCH',
        token: admin.accessToken,
        body: { role: 'observer' },
      });
      expect(role.status).toBe(409);
      expect(
        (await post(`/api/users/${admin.id}/disable`, undefined, admin.accessToken)).status,
      ).toBe(409);
    });

    it('refuses a duplicate email and a weak password', async () => {
      const admin = agency.users.admin.accessToken;
      const duplicate = await post(
        `/api/agencies/${agency.id}/users`,
        { email: agency.users.observer.email, displayName: 'Dup', role: 'observer' },
        admin,
      );
      const weak = await post(
        `/api/agencies/${agency.id}/users`,
        { email: 'weak@x.test', displayName: 'Weak', role: 'observer', password: 'short' },
        admin,
      );
      expect(duplicate.status).toBe(409);
      expect(weak.status).toBe(400);
    });
  });

  describe('bad ids', () => {
    it('answers 400 for ids that are not UUIDs, objects, arrays or null', async () => {
      const admin = agency.users.admin.accessToken;
      const group = await post('/api/groups', { name: 'Ids' }, admin);
      for (const path of [
        '/api/users/abc',
        '/api/groups/1',
        '/api/agencies/%7B%7D',
        '/api/groups/null',
      ]) {
        expect((await request(`${api.url}${path}`, { token: admin })).status, path).toBe(400);
      }
      for (const userId of [{}, [], null, [agency.users.responder.id], { $gt: '' }, '', 42]) {
        const response = await post(`/api/groups/${group.body.id}/members`, { userId }, admin);
        expect(response.status, JSON.stringify(userId)).toBe(400);
      }
      for (const agencyId of [{}, [], null]) {
        expect(
          (await post(`/api/groups/${group.body.id}/partners`, { agencyId }, admin)).status,
        ).toBe(400);
      }
    });

    it('answers 404 for an unknown id and for an id of another agency', async () => {
      const other = await createAgency(api.url, operatorToken);
      const admin = agency.users.admin.accessToken;
      const otherGroup = await post(
        '/api/groups',
        { name: 'Theirs' },
        other.users.admin.accessToken,
      );

      expect(
        (await request(`${api.url}/api/groups/${otherGroup.body.id}`, { token: admin })).status,
      ).toBe(404);
      expect(
        (await request(`${api.url}/api/users/${other.users.admin.id}`, { token: admin })).status,
      ).toBe(404);
      expect(
        (
          await request(`${api.url}/api/groups/00000000-0000-4000-8000-000000000000`, {
            token: admin,
          })
        ).status,
      ).toBe(404);
      const group = await post('/api/groups', { name: 'Mine' }, admin);
      const foreign = await post(
        `/api/groups/${group.body.id}/members`,
        { userId: other.users.responder.id },
        admin,
      );
      expect(foreign.status).toBe(404);
    });
  });
});

describe('login throttling', () => {
  let api: TestApp;
  let agency: TestAgency;
  let operatorToken: string;

  beforeAll(async () => {
    api = await startTestApp(
      identityEnv({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '8' }),
    );
    operatorToken = (await loginOperator(api.url)).accessToken;
    agency = await createAgency(api.url, operatorToken);
  });

  afterAll(async () => {
    await api?.close();
  });

  const post = (path: string, body?: unknown, token?: string) =>
    request(`${api.url}${path}`, { method: 'POST', body, token });

  it('throttles an account after repeated failures, with 429 and Retry-After', async () => {
    const user = await createUser(api.url, operatorToken, agency.id, 'responder');
    for (let i = 0; i < 3; i += 1) {
      expect((await post('/api/auth/login', { email: user.email, password: 'bad-1' })).status).toBe(
        401,
      );
    }

    const blocked = await post('/api/auth/login', { email: user.email, password: user.password });

    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.code).toBe('auth.too_many_attempts');
  });

  it('throttles an address after failures across accounts', async () => {
    const fresh = await createUser(api.url, operatorToken, agency.id, 'responder');
    for (let i = 0; i < 5; i += 1) {
      await post('/api/auth/login', { email: `nobody-${i}@x.test`, password: 'bad-2' });
    }

    const blocked = await post('/api/auth/login', { email: fresh.email, password: fresh.password });

    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
