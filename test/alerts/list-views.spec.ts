import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBody, LYON_SQUARE } from '../support/alert-factory';
import {
  createAgency,
  createUser,
  identityEnv,
  login,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { request, startTestApp, type TestApp } from '../support/test-app';

/**
 * GET /api/alerts builds its JSON in PostgreSQL (alert-view-sql.ts) while GET /api/alerts/:id
 * builds it in TypeScript (toAlertView): a client must not see a difference.
 */
describe('GET /api/alerts: the views PostgreSQL writes', () => {
  let api: TestApp;
  let a: TestAgency;
  let operatorToken: string;
  const sent: string[] = [];

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    const operator = await loginOperator(api.url);
    operatorToken = operator.accessToken;
    a = await createAgency(api.url, operator.accessToken);
    const group = await request(`${api.url}/api/groups`, {
      method: 'POST',
      token: a.users.admin.accessToken,
      body: { name: 'Backup' },
    });
    const bodies = [
      alertBody(),
      alertBody({
        headline: 'Quotes " \\ and ünïcödé, a tab\there',
        description: undefined,
        instruction: undefined,
        category: ['Fire', 'Safety'],
        onset: '2026-01-02T03:04:05.678+02:00',
        escalation: { afterSeconds: 300, backupGroupId: group.body.id },
        areas: [
          { areaDesc: 'Plant', circle: { center: [4.8123456, 45.7], radiusMeters: 2500.5 } },
          { areaDesc: 'Square', geometry: LYON_SQUARE },
        ],
      }),
      alertBody({ escalation: { afterSeconds: 60 } }),
      alertBody({ headline: 'To be cancelled' }),
    ];
    for (const body of bodies) {
      const created = await request(`${api.url}/api/alerts`, {
        method: 'POST',
        token: a.users.dispatcher.accessToken,
        body,
      });
      expect(created.status).toBe(201);
      sent.push(created.body.id);
    }

    const cancelled = await request(`${api.url}/api/alerts/${sent[3]}/cancel`, {
      method: 'POST',
      token: a.users.dispatcher.accessToken,
      body: { reason: 'resolved' },
    });
    expect(cancelled.status).toBe(200);
    const db = api.app.get(DataSource);
    // Expired, and geocodes as a CAP import writes them (the API does not take them).
    await db.query(`UPDATE alerts SET expires = sent + interval '1 millisecond' WHERE id = $1`, [
      sent[2],
    ]);
    await db.query(
      `UPDATE alert_areas SET geocodes = '[{"valueName": "INSEE", "value": "69123"}]'
        WHERE alert_id = $1`,
      [sent[0]],
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  const list = (query = '') =>
    request(`${api.url}/api/alerts${query}`, { token: a.users.dispatcher.accessToken });

  it('answers each alert exactly as GET /api/alerts/:id does, newest first', async () => {
    const listed = await list('?limit=1000');

    expect(listed.status).toBe(200);
    expect(listed.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(listed.body.map((alert: any) => alert.id)).toEqual([...sent].reverse());
    for (const alert of listed.body) {
      const one = await request(`${api.url}/api/alerts/${alert.id}`, {
        token: a.users.dispatcher.accessToken,
      });
      expect(alert).toStrictEqual(one.body);
    }
    expect(listed.body.map((alert: any) => alert.state)).toEqual([
      'cancelled',
      'expired',
      'active',
      'active',
    ]);
  });

  it('writes compact JSON', async () => {
    const response = await fetch(`${api.url}/api/alerts?status=active`, {
      headers: { authorization: `Bearer ${a.users.dispatcher.accessToken}` },
    });
    const text = await response.text();

    expect(text).not.toMatch(/\n|" : |, "/);
    expect(JSON.parse(text)).toHaveLength(2);
  });

  it('answers an empty box with an empty array', async () => {
    const empty = await list('?bbox=2.2,48.8,2.5,48.9');

    expect(empty.status).toBe(200);
    expect(empty.body).toEqual([]);
  });

  it.each([
    '?unknown=1',
    '?status=active&status=expired',
    '?limit=0',
    '?limit=1001',
    '?limit=ten',
    '?limit=1.5',
    '?status=maybe',
    `?bbox=${'1'.repeat(201)}`,
    '?bbox=1,2,3',
  ])('refuses %s with 400', async (query) => {
    expect((await list(query)).status).toBe(400);
  });

  it('documents its query parameters in OpenAPI', async () => {
    const { body } = await request(`${api.url}/api/docs-json`);
    const parameters = body.paths['/api/alerts'].get.parameters;

    expect(parameters.map((p: any) => p.name).sort()).toEqual(['bbox', 'limit', 'status']);
  });

  it('still needs a token', async () => {
    expect((await request(`${api.url}/api/alerts`)).status).toBe(401);
  });

  it('writes the headers of every API answer and a body as long as Content-Length says', async () => {
    const response = await fetch(`${api.url}/api/alerts?limit=1000`, {
      headers: {
        authorization: `Bearer ${a.users.dispatcher.accessToken}`,
        'x-request-id': 'list-request-1',
      },
    });
    const bytes = Buffer.from(await response.arrayBuffer());

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    expect(response.headers.get('x-request-id')).toBe('list-request-1');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('etag')).toBeNull();
    // Multi-byte text (the ünïcödé headline) counted in bytes, not characters.
    expect(JSON.parse(bytes.toString('utf8'))).toHaveLength(4);

    const head = await fetch(`${api.url}/api/alerts?limit=1000`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${a.users.dispatcher.accessToken}` },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(await head.text()).toBe('');
  });

  it('is found by Express ahead of the other API routes, after every middleware', () => {
    const stack = (api.app.getHttpAdapter().getInstance() as any).router.stack as any[];
    const at = (method: string, path: string) =>
      stack.findIndex((layer) => layer.route?.path === path && layer.route.methods[method]);
    const list = at('get', '/api/alerts');

    expect(list).toBeLessThan(at('get', '/api/health'));
    expect(list).toBeLessThan(at('post', '/api/alerts'));
    expect(stack[list - 1].route).toBeUndefined();
  });

  it('refuses a logged-out session on the very next request', async () => {
    const user = await createUser(api.url, operatorToken, a.id, 'observer');
    expect((await request(`${api.url}/api/alerts`, { token: user.accessToken })).status).toBe(200);
    const live = await request(`${api.url}/api/alerts?foo=1`, { token: user.accessToken });
    expect(live.status).toBe(400);
    expect(live.body.code).toBe('alerts.invalid_query');

    const out = await request(`${api.url}/api/auth/logout`, {
      method: 'POST',
      token: user.accessToken,
    });
    expect(out.status).toBe(204);

    const after = await request(`${api.url}/api/alerts`, { token: user.accessToken });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('auth.session_ended');

    // The session is judged before the query, as on the routes the guard checks in full.
    const badQuery = await request(`${api.url}/api/alerts?foo=1`, { token: user.accessToken });
    expect(badQuery.status).toBe(401);
    expect(badQuery.body.code).toBe('auth.session_ended');
  });

  it('refuses a disabled user at once, and a temporary password with 403', async () => {
    const user = await createUser(api.url, operatorToken, a.id, 'responder');
    await request(`${api.url}/api/users/${user.id}/disable`, {
      method: 'POST',
      token: a.users.admin.accessToken,
    });
    const disabled = await request(`${api.url}/api/alerts`, { token: user.accessToken });
    expect(disabled.status).toBe(401);
    expect(disabled.body.code).toBe('auth.session_ended');

    const temporary = await createUser(api.url, operatorToken, a.id, 'responder', {
      keepTemporaryPassword: true,
    });
    const blocked = await request(`${api.url}/api/alerts?bbox=2.2,48.8,2.5,48.9`, {
      token: temporary.accessToken,
    });
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('password.change_required');

    const badQuery = await request(`${api.url}/api/alerts?limit=0`, {
      token: temporary.accessToken,
    });
    expect(badQuery.status).toBe(403);
    expect(badQuery.body.code).toBe('password.change_required');
  });

  it('refuses a forged or mangled token before any statement', async () => {
    const token = a.users.dispatcher.accessToken;
    const mangled = `${token.slice(0, -4)}AAAA`;
    for (const bad of [mangled, 'not.a.token', a.users.dispatcher.refreshToken]) {
      expect((await request(`${api.url}/api/alerts`, { token: bad })).status).toBe(401);
    }
    const inUrl = await request(`${api.url}/api/alerts?access_token=${token}`, { token });
    expect(inUrl.status).toBe(401);
    expect(inUrl.body.code).toBe('auth.token_in_url');
  });

  it("lists another session's alerts only for its own user", async () => {
    // A second login of the same user sees the same list; another agency's user sees none.
    const again = await login(api.url, a.users.dispatcher.email, a.users.dispatcher.password);
    const mine = await request(`${api.url}/api/alerts?limit=1000`, { token: again.accessToken });
    expect(mine.body).toHaveLength(4);

    const other = await createAgency(api.url, operatorToken);
    const theirs = await request(`${api.url}/api/alerts?limit=1000`, {
      token: other.users.dispatcher.accessToken,
    });
    expect(theirs.status).toBe(200);
    expect(theirs.body).toEqual([]);
  });
});
