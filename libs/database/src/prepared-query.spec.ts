import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseEndpoint } from './database-endpoint';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { preparedQuery } from './prepared-query';

describe('preparedQuery on the embedded database', () => {
  let dataDir: string;
  let embedded: EmbeddedPostgres;
  let dataSource: DataSource;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tocsin-prepared-'));
    embedded = await EmbeddedPostgres.start(dataDir);
    const { socketDir, port, user, database } = embedded.address;
    const endpoint: DatabaseEndpoint = {
      kind: 'embedded',
      connection: { host: socketDir, port, username: user, database },
      poolSize: 4,
      description: 'test',
      close: async () => undefined,
    };
    dataSource = await new DataSource(dataSourceOptions(endpoint, [])).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  // Every pooled connection is the same session there: a statement one connection named
  // would already exist for the others.
  it('runs the same text from every pooled connection at once, and after a failure', async () => {
    const text = 'SELECT $1::int AS n, pg_sleep(0.02)';
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        preparedQuery<{ n: number }>(dataSource.manager, text, [n]),
      ),
    );
    expect(runs.map((rows) => rows[0].n)).toEqual(Array.from({ length: 12 }, (_, n) => n));

    await expect(preparedQuery(dataSource.manager, 'SELECT 1 / $1::int', [0])).rejects.toThrow(
      /division by zero/,
    );
    const again = await Promise.all(
      [1, 2, 3].map((n) => preparedQuery<{ n: number }>(dataSource.manager, text, [n])),
    );
    expect(again.map((rows) => rows[0].n)).toEqual([1, 2, 3]);
  });
});
