import { loadConfig } from '@tocsin/config';
import { dataSourceOptions, openDatabaseEndpoint, type DatabaseEndpoint } from '@tocsin/database';
import { createRootLogger } from '@tocsin/logging';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../apps/api/src/schema';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestDataSource {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A migrated database of its own, without the HTTP server: for integration specs of one
 * library's services against real PostgreSQL.
 */
export async function openTestDataSource(entities: Function[] = []): Promise<TestDataSource> {
  const database: TestDatabase = await createTestDatabase();
  const config = loadConfig({ ...database.env, LOG_LEVEL: 'silent' });
  const endpoint: DatabaseEndpoint = await openDatabaseEndpoint(
    config.database,
    createRootLogger(config.log),
  );
  const dataSource = new DataSource(dataSourceOptions(endpoint, ALL_MIGRATIONS, entities));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });

  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await endpoint.close();
      await database.drop();
    },
  };
}
