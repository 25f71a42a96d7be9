import type { LookupAddress } from 'node:dns';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@tocsin/config';
import { openDatabaseEndpoint, type DatabaseEndpoint } from '@tocsin/database';
import { createRootLogger, PinoNestLogger } from '@tocsin/logging';
import { PUSH_RESOLVER, PushService, systemResolver } from '@tocsin/push';
import { DataSource } from 'typeorm';
import { AppModule } from '../../apps/api/src/app.module';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Names a test resolves itself; every other name goes to the system resolver. */
export type FakeDns = Map<string, string[]>;

export interface PushTestApp {
  app: INestApplication;
  push: PushService;
  db: DataSource;
  dns: FakeDns;
  /** The environment the app was configured from (its database's included). */
  env: Record<string, string>;
  /** Inserts a user (in an agency of its own) and returns its id: devices belong to users. */
  newUser(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The whole application module (real database, real job queue, real push sender) without
 * HTTP, with one outside part replaced: DNS, so a test can play a name that resolves to a
 * private address or changes between checks.
 */
export async function startPushTestApp(env: Record<string, string>): Promise<PushTestApp> {
  const database: TestDatabase = await createTestDatabase();
  const appEnv = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOG_FORMAT: 'json',
    ...database.env,
    ...env,
  };
  const config = loadConfig(appEnv);
  const logger = createRootLogger(config.log);
  const endpoint: DatabaseEndpoint = await openDatabaseEndpoint(config.database, logger);
  const dns: FakeDns = new Map();
  const resolver = async (hostname: string): Promise<LookupAddress[]> => {
    const fake = dns.get(hostname);
    if (!fake) return systemResolver(hostname);
    if (fake.length === 0) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });

    return fake.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, endpoint)],
  })
    .overrideProvider(PUSH_RESOLVER)
    .useValue(resolver)
    .compile();
  const app = moduleRef.createNestApplication({ logger: new PinoNestLogger(logger) });
  await app.init();

  return {
    app,
    push: app.get(PushService),
    db: app.get(DataSource),
    newUser: () => insertUser(app.get(DataSource)),
    dns,
    env: appEnv,
    close: async () => {
      await app.close();
      await endpoint.close();
      await database.drop();
    },
  };
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function insertUser(db: DataSource): Promise<string> {
  const suffix = Math.random().toString(36).slice(2, 10);
  const [agency] = await db.query('INSERT INTO agencies (name) VALUES ($1) RETURNING id', [
    `Push agency ${suffix}`,
  ]);
  const [user] = await db.query(
    `INSERT INTO users (agency_id, email, display_name, role)
     VALUES ($1, $2, 'Push tester', 'responder') RETURNING id`,
    [agency.id, `push-${suffix}@agency.test`],
  );

  return user.id as string;
}
