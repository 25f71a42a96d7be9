import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, type AppConfig } from '@tocsin/config';
import { openDatabaseEndpoint, type DatabaseEndpoint } from '@tocsin/database';
import { createRootLogger } from '@tocsin/logging';
import { createApi } from '../../apps/api/src/create-api';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  url: string;
  app: NestExpressApplication;
  config: AppConfig;
  database: TestDatabase;
  /** Stops the server; the database is kept for a restart unless `drop` is called. */
  stop(): Promise<void>;
  /** Stops the server and drops its database. */
  close(): Promise<void>;
}

/**
 * Starts the real API on a free loopback port against a database of its own. `env` adds
 * or overrides settings, exactly as the environment would in production.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  database?: TestDatabase,
): Promise<TestApp> {
  const db = database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOG_FORMAT: 'json',
    DATABASE_CONNECT_RETRIES: '1',
    DATABASE_RETRY_DELAY_MS: '200',
    ...db.env,
    ...env,
  });
  const logger = createRootLogger(config.log);
  const endpoint: DatabaseEndpoint = await openDatabaseEndpoint(config.database, logger);
  let app: NestExpressApplication;
  try {
    app = await createApi(config, endpoint, logger);
    // PORT=0 (the default here) takes a free port; a restart passes the port it had before.
    await app.listen(config.http.port, '127.0.0.1');
  } catch (error) {
    await endpoint.close();
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };

  const stop = async () => {
    await app.close();
    await endpoint.close();
  };

  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    config,
    database: db,
    stop,
    close: async () => {
      await stop();
      await db.drop();
    },
  };
}

/** fetch with JSON in and out, for brevity in tests. */
export async function request(
  url: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, { method: init.method ?? 'GET', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }

  return { status: response.status, body: parsed, headers: response.headers };
}
