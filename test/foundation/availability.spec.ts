import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedPostgres } from '@tocsin/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TcpProxy } from '../support/tcp-proxy';

describe('when the database is unreachable', () => {
  it('refuses to start after bounded retries', async () => {
    const started = Date.now();

    await expect(
      startTestApp({
        DATABASE_URL: 'postgres://tocsin@127.0.0.1:1/tocsin',
        DATABASE_CONNECT_RETRIES: '2',
        DATABASE_RETRY_DELAY_MS: '100',
      }),
    ).rejects.toThrow(/ECONNREFUSED|connect/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('when the database goes away after the start', () => {
  let database: TestDatabase;
  let embedded: EmbeddedPostgres | undefined;
  let embeddedDir: string | undefined;
  let proxy: TcpProxy;
  let api: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    let databaseUrl: string;
    if (database.url) {
      const target = new URL(database.url);
      proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      await proxy.start();
      target.host = `127.0.0.1:${proxy.port}`;
      databaseUrl = target.toString();
    } else {
      // No server configured: put the embedded database behind the proxy instead.
      embeddedDir = await mkdtemp(path.join(os.tmpdir(), 'tocsin-proxy-'));
      embedded = await EmbeddedPostgres.start(embeddedDir);
      const { socketDir, port } = embedded.address;
      proxy = new TcpProxy({ path: path.join(socketDir, `.s.PGSQL.${port}`) });
      await proxy.start();
      databaseUrl = `postgres://postgres@127.0.0.1:${proxy.port}/postgres`;
    }
    api = await startTestApp({ DATABASE_URL: databaseUrl }, database);
  });

  afterAll(async () => {
    await proxy?.cut();
    await api?.close();
    await embedded?.stop();
    if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
  });

  it('reports 503 while it is down and recovers when it is back', async () => {
    expect((await request(`${api.url}/api/health`)).status).toBe(200);

    const port = proxy.port;
    await proxy.cut();
    const down = await request(`${api.url}/api/health`);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });

    await proxy.start(port);
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
      status = (await request(`${api.url}/api/health`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
  });
});
