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
}

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
            connectAndMigrate(typeormOptions as DataSourceOptions),
        }),
      ],
    };
  }
}

async function connectAndMigrate(options: DataSourceOptions): Promise<DataSource> {
  const logger = new Logger('Database');
  const dataSource = new DataSource(options);
  await dataSource.initialize();

  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger.log({ migration: migration.name }, 'migration applied');
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }

  return dataSource;
}
