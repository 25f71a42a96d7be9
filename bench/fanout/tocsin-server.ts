import 'reflect-metadata';
import { Client } from 'pg';
import { serve } from '../harness/child';
import { startTestApp, type TestApp } from '../../test/support/test-app';
import { seedAudience } from './seed-audience';

/**
 * The real Tocsin API in a process of its own, with seeding hooks for the benchmarks. `seed`
 * starts it on a fresh database with responders (see {@link seedAudience}); `join` starts it
 * on a database another process seeded: a second node (scale-out) or the same node after a
 * restart (reconnect storm), with `env` adding REDIS_URL or a fixed PORT.
 */
const BASE_ENV = {
  ACCESS_TOKEN_TTL_SECONDS: '3600',
  // BENCH_LOG_LEVEL=warn shows why a request failed under load; logging costs CPU otherwise.
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
};
let app: TestApp | undefined;

async function seed({ sizes, env = {} }: { sizes: number[]; env?: Record<string, string> }) {
  app = await startTestApp({ ...BASE_ENV, ...env });
  const audience = await seedAudience(app, sizes);

  return { url: app.url, databaseUrl: app.database.url, ...audience };
}

async function join(args: { databaseUrl: string; owner?: boolean; env?: Record<string, string> }) {
  const database = {
    env: { DATABASE_URL: args.databaseUrl },
    url: args.databaseUrl,
    // A restarted node owns the database its first life seeded; a second node never drops it.
    drop: () => (args.owner ? dropDatabase(args.databaseUrl) : Promise.resolve()),
  };
  app = await startTestApp({ ...BASE_ENV, ...args.env }, database);

  return { url: app.url };
}

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

serve({
  seed,
  join,
  /** Stops the API; `drop` (the default, for the seeding process) drops its database too. */
  stop: async ({ drop = true }: { drop?: boolean } = {}) => {
    await (drop ? app?.close() : app?.stop());
    app = undefined;
  },
});
