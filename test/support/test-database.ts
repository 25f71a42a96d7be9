import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

/** A database of its own for one test file, described as the environment that selects it. */
export interface TestDatabase {
  env: Record<string, string>;
  /** The PostgreSQL URL when running against a server, undefined on the embedded database. */
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * With DATABASE_URL set (as CI does), creates a fresh database on that server; without it,
 * points at a fresh embedded data folder. Either way the test starts from an empty schema.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tocsin-test-'));

    return {
      env: { DATA_DIR: dataDir, DATABASE_URL: '' },
      url: undefined,
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }

  const name = `tocsin_test_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;

  return {
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    drop: async () => {
      await withClient(serverUrl, (client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`));
    },
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
