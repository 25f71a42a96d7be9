import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseEndpoint } from './database-endpoint';
import { dataSourceOptions } from './data-source-options';

export interface DatabaseModuleOptions {
  endpoint: DatabaseEndpoint;
  migrations: Function[];
  connectRetries: number;
  retryDelayMs: number;
  /**
   * `migrate` (the API) runs pending migrations at start; `await` (a worker process) waits
   * until they have been run, so two processes starting together never both migrate.
   */
  schema?: 'migrate' | 'await';
}

/** How long a worker waits for the API to bring the schema up to date, and how often it looks. */
const SCHEMA_WAIT_MS = 300_000;
const SCHEMA_POLL_MS = 1000;

/**
 * TypeORM on the opened endpoint. Entities register themselves through
 * `TypeOrmModule.forFeature` in their own library; pending migrations run at start.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(options.endpoint, options.migrations),
            autoLoadEntities: true,
            retryAttempts: options.connectRetries,
            retryDelay: options.retryDelayMs,
          }),
          dataSourceFactory: async (typeormOptions) =>
            connectAndMigrate(typeormOptions as DataSourceOptions, options.schema ?? 'migrate'),
        }),
      ],
    };
  }
}

async function connectAndMigrate(
  options: DataSourceOptions,
  schema: 'migrate' | 'await',
): Promise<DataSource> {
  const logger = new Logger('Database');
  const dataSource = new DataSource(options);
  await dataSource.initialize();

  try {
    if (schema === 'await') {
      await awaitSchema(dataSource, logger);

      return dataSource;
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger.log({ migration: migration.name }, 'migration applied');
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }

  return dataSource;
}

async function awaitSchema(dataSource: DataSource, logger: Logger): Promise<void> {
  const deadline = Date.now() + SCHEMA_WAIT_MS;
  let told = false;
  for (;;) {
    // It may race the API creating the migrations table: an error is one more look, not fatal.
    const pending = await dataSource.showMigrations().catch(() => true);
    if (!pending) return;
    if (Date.now() > deadline) {
      throw new Error('the database schema is not up to date: start the API, which migrates it');
    }
    if (!told) logger.log('waiting for the API to run the pending migrations');
    told = true;
    await new Promise((resolve) => setTimeout(resolve, SCHEMA_POLL_MS));
  }
}
