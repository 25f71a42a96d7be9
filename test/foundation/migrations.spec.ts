import { createRootLogger } from '@tocsin/logging';
import { dataSourceOptions, openDatabaseEndpoint, type DatabaseEndpoint } from '@tocsin/database';
import { loadConfig } from '@tocsin/config';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS } from '../../apps/api/src/schema';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('migrations', () => {
  let database: TestDatabase;
  let endpoint: DatabaseEndpoint;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ ...database.env, LOG_LEVEL: 'silent' });
    endpoint = await openDatabaseEndpoint(config.database, createRootLogger(config.log));
    dataSource = await new DataSource(dataSourceOptions(endpoint, ALL_MIGRATIONS)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await endpoint?.close();
    await database?.drop();
  });

  const tables = async (): Promise<string[]> =>
    (
      await dataSource.query(
        `SELECT table_name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
            AND table_name NOT IN ('schema_migrations', 'spatial_ref_sys')`,
      )
    ).map((row: { table_name: string }) => row.table_name);

  it('applies every migration, then reverts each one down to an empty schema', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied).toHaveLength(ALL_MIGRATIONS.length);
    const [postgis] = await dataSource.query('SELECT postgis_version() AS version');
    expect(postgis.version).toMatch(/^3\./);
    expect(await dataSource.showMigrations()).toBe(false);

    for (let i = 0; i < ALL_MIGRATIONS.length; i++) {
      await dataSource.undoLastMigration({ transaction: 'each' });
    }

    expect(await tables()).toEqual([]);
    const extensions = await dataSource.query(
      "SELECT extname FROM pg_extension WHERE extname = 'postgis'",
    );
    expect(extensions).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);
  });

  it('applies them again after a full revert', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });

    expect(applied.map((m) => m.name)).toHaveLength(ALL_MIGRATIONS.length);
  });
});
