import type { DataSourceOptions, MixedList } from 'typeorm';
import type { DatabaseEndpoint } from './database-endpoint';
import { NAMED_STATEMENTS } from './prepared-query';

type Migrations = Extract<DataSourceOptions, { type: 'postgres' }>['migrations'];

/** TypeORM options for an endpoint. The schema only ever changes through migrations. */
export function dataSourceOptions(
  endpoint: DatabaseEndpoint,
  migrations: Migrations,
  entities: MixedList<string | Function> = [],
): DataSourceOptions {
  const connection =
    'url' in endpoint.connection
      ? {
          url: endpoint.connection.url,
          ssl: endpoint.connection.ssl ? { rejectUnauthorized: true } : false,
        }
      : endpoint.connection;

  return {
    type: 'postgres',
    ...connection,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: endpoint.poolSize,
      connectionTimeoutMillis: 10_000,
      // A stuck statement must not hold a pooled connection forever.
      statement_timeout: 30_000,
      application_name: 'tocsin',
      // Read by preparedQuery: the embedded server is one session behind every connection.
      [NAMED_STATEMENTS]: endpoint.kind !== 'embedded',
    },
  };
}
