import 'reflect-metadata';
import { AccessTokenService } from '@tocsin/identity';
import { DataSource } from 'typeorm';
import { serve } from '../harness/child';
import { startTestApp, type TestApp } from '../../test/support/test-app';

/**
 * The real Tocsin API in a process of its own, with seeding hooks for the benchmark: an
 * agency, a dispatcher, responders with open sessions and access tokens, and one group per
 * audience size (made through SQL and the token service, since 10k argon2 logins would take
 * minutes and measure nothing of interest).
 */
let app: TestApp | undefined;

async function seed({ sizes }: { sizes: number[] }) {
  app = await startTestApp({
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    // BENCH_LOG_LEVEL=warn shows why a request failed under load; logging costs CPU otherwise.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
  });
  const db = app.app.get(DataSource);
  const tokens = app.app.get(AccessTokenService);
  const total = Math.max(...sizes);

  const [agency] = await db.query(`INSERT INTO agencies (name) VALUES ('Bench') RETURNING id`);
  const users: { id: string; role: string }[] = await db.query(
    `INSERT INTO users (agency_id, email, display_name, role)
     SELECT $1, 'u' || i || '@bench.test', 'User ' || lpad(i::text, 6, '0'),
            CASE WHEN i = 0 THEN 'dispatcher' ELSE 'responder' END
       FROM generate_series(0, $2::int) i ORDER BY i RETURNING id, role`,
    [agency.id, total],
  );
  const sessions: { id: string; user_id: string }[] = await db.query(
    `INSERT INTO sessions (user_id, expires_at)
     SELECT id, now() + interval '1 day' FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)
      ORDER BY n RETURNING id, user_id`,
    [users.map((user) => user.id)],
  );
  const tokenOf = (i: number) => tokens.issue(sessions[i].user_id, sessions[i].id).token;
  const groups: Record<number, string> = {};
  for (const size of sizes) {
    const [group] = await db.query(
      `INSERT INTO groups (agency_id, name) VALUES ($1, $2) RETURNING id`,
      [agency.id, `Audience ${size}`],
    );
    await db.query(
      `INSERT INTO group_members (group_id, user_id, agency_id, role)
       SELECT $1, id, $2, 'member' FROM unnest($3::uuid[]) AS u(id)`,
      [group.id, agency.id, users.slice(1, size + 1).map((user) => user.id)],
    );
    groups[size] = group.id;
  }

  return {
    url: app.url,
    dispatcherToken: tokenOf(0),
    tokens: Array.from({ length: total }, (_, i) => tokenOf(i + 1)),
    groups,
  };
}

serve({
  seed,
  stop: async () => {
    await app?.close();
    app = undefined;
  },
});
