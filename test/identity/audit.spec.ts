import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgency,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { sql } from '../support/sql';
import { request, startTestApp, type TestApp } from '../support/test-app';

describe('the audit log', () => {
  let api: TestApp;
  let agency: TestAgency;
  let admin: string;

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    const operator = await loginOperator(api.url);
    agency = await createAgency(api.url, operator.accessToken);
    admin = agency.users.admin.accessToken;
  });

  afterAll(async () => {
    await api?.close();
  });

  const audit = (query = '', token = admin) => request(`${api.url}/api/audit${query}`, { token });

  it('records logins, failed logins and user changes in the agency log', async () => {
    await request(`${api.url}/api/auth/login`, {
      method: 'POST',
      body: { email: agency.users.observer.email, password: 'wrong-password-123' },
    });
    await request(`${api.url}/api/users/${agency.users.observer.id}`, {
      method: 'PATCH',
      token: admin,
      body: { role: 'responder' },
    });

    const { status, body } = await audit();
    const actions = body.items.map((e: any) => e.action);

    expect(status).toBe(200);
    expect(actions).toEqual(
      expect.arrayContaining([
        'auth.login',
        'auth.login_failed',
        'user.created',
        'user.role_changed',
      ]),
    );
    const failed = body.items.find((e: any) => e.action === 'auth.login_failed');
    expect(failed.data).toMatchObject({ reason: 'bad_password' });
    expect(JSON.stringify(body)).not.toContain('wrong-password-123');
    const changed = body.items.find((e: any) => e.action === 'user.role_changed');
    expect(changed.data).toEqual({ from: 'observer', to: 'responder' });
  });

  it('keeps the chain linear under concurrent appends, and verifies', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(`${api.url}/api/groups`, { method: 'POST', token: admin, body: { name: `C${i}` } }),
      ),
    );

    const { status, body } = await request(`${api.url}/api/audit/verify`, { token: admin });

    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, chains: 1 });
    expect(body.checked).toBeGreaterThan(20);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on stored events', async () => {
    await expect(sql(api, "UPDATE audit_events SET action = 'x'")).rejects.toThrow(/append-only/);
    await expect(sql(api, 'DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(sql(api, 'TRUNCATE audit_events')).rejects.toThrow(/append-only/);
  });

  it('names the first broken event when one stored event is edited', async () => {
    const [victim] = await sql(
      api,
      `SELECT id FROM audit_events WHERE chain = $1 ORDER BY seq OFFSET 3 LIMIT 1`,
      [agency.id],
    );
    await sql(api, 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    try {
      await sql(
        api,
        `UPDATE audit_events SET data = data || '{"edited": true}'::jsonb WHERE id = $1`,
        [victim.id],
      );
    } finally {
      await sql(api, 'ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    }

    const { status, body } = await request(`${api.url}/api/audit/verify`, { token: admin });

    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: false, firstBrokenId: victim.id, reason: 'hash_mismatch' });
    expect(body.checked).toBe(3);
  });

  it('filters by action, actor and time, and pages with a cursor', async () => {
    const byAction = await audit('?action=group.created&limit=5');
    expect(byAction.status).toBe(200);
    expect(byAction.body.items).toHaveLength(5);
    expect(byAction.body.items.every((e: any) => e.action === 'group.created')).toBe(true);

    const next = await audit(`?action=group.created&limit=5&cursor=${byAction.body.nextCursor}`);
    const seqs = [...byAction.body.items, ...next.body.items].map((e: any) => Number(e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(10);

    const ascending = await audit('?sort=createdAt&limit=3');
    expect(ascending.body.items[0].action).toBe('user.created');

    const byActor = await audit(`?actorId=${agency.users.observer.id}`);
    expect(byActor.body.items.every((e: any) => e.actorId === agency.users.observer.id)).toBe(true);

    const future = await audit(`?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`);
    expect(future.body.items).toEqual([]);
  });

  it('refuses filters and sorts outside the allow-list with 400', async () => {
    for (const query of [
      '?sort=hash',
      '?sort=agencyId',
      '?sort=createdAt;DROP TABLE users',
      '?orderBy=seq',
      '?agencyId=' + agency.id,
      '?actorId=not-a-uuid',
      `?actorId=${agency.users.admin.id}&actorId=${agency.users.admin.id}`,
      '?actorId[a]=1',
      '?action=DROP TABLE',
      '?cursor=abc',
      '?cursor=-1',
      '?limit=0',
      '?limit=100000',
      '?from=yesterday',
      '?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z',
    ]) {
      const { status } = await audit(query);
      expect(status, query).toBe(400);
    }
  });
});
