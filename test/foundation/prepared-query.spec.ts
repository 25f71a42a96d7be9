import { createRootLogger } from '@tocsin/logging';
import {
  dataSourceOptions,
  openDatabaseEndpoint,
  preparedQuery,
  type DatabaseEndpoint,
} from '@tocsin/database';
import { loadConfig } from '@tocsin/config';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('preparedQuery inside a transaction', () => {
  let database: TestDatabase;
  let endpoint: DatabaseEndpoint;
  let dataSource: DataSource;
  const text = 'SELECT count(*)::int AS n FROM notes WHERE body = $1';

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ ...database.env, LOG_LEVEL: 'silent' });
    endpoint = await openDatabaseEndpoint(config.database, createRootLogger(config.log));
    dataSource = await new DataSource(dataSourceOptions(endpoint, [])).initialize();
    await dataSource.query('CREATE TABLE notes (body text NOT NULL)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await endpoint?.close();
    await database?.drop();
  });

  // An alert's update writes its new areas, then resolves its targets from them.
  it("reads the transaction's own writes, which a rollback takes back", async () => {
    const seen = dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO notes VALUES ('draft')`);
      const [inside] = await preparedQuery<{ n: number }>(manager, text, ['draft']);
      expect(inside.n).toBe(1);
      throw new Error('roll back');
    });

    await expect(seen).rejects.toThrow('roll back');
    const [after] = await preparedQuery<{ n: number }>(dataSource.manager, text, ['draft']);
    expect(after.n).toBe(0);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "is prepared once on the transaction's connection, as on the pool's",
    async () => {
      const prepared = await dataSource.transaction(async (manager) => {
        for (let run = 0; run < 3; run += 1) await preparedQuery(manager, text, ['x']);

        return manager.query(
          `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1`,
          [text],
        );
      });

      expect(prepared).toEqual([{ n: 1 }]);
    },
  );
});
