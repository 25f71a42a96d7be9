import { alertsMigrations } from '@tocsin/alerts';
import { auditMigrations } from '@tocsin/audit';
import type { DynamicModule } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '@tocsin/config';
import { databaseMigrations, DatabaseModule, type DatabaseEndpoint } from '@tocsin/database';
import { feedsMigrations } from '@tocsin/feeds';
import { groupsMigrations } from '@tocsin/groups';
import { identityMigrations } from '@tocsin/identity';
import { livehelpMigrations } from '@tocsin/livehelp';
import { messagingMigrations } from '@tocsin/messaging';
import { outboxMigrations } from '@tocsin/outbox';
import { pushMigrations } from '@tocsin/push';
import { RedisModule } from '@tocsin/redis';

/**
 * Every migration of every library, in one list for the app and the migration command.
 * TypeORM orders them by the timestamp at the end of each class name.
 */
export const ALL_MIGRATIONS: Function[] = [
  ...databaseMigrations,
  ...auditMigrations,
  ...outboxMigrations,
  ...identityMigrations,
  ...groupsMigrations,
  ...pushMigrations,
  ...alertsMigrations,
  ...feedsMigrations,
  ...messagingMigrations,
  ...livehelpMigrations,
];

/**
 * The shared modules every Tocsin process starts with: its configuration, the database with
 * the whole schema (`migrate` in the API, `await` in a worker, which leaves migrating to the
 * API) and Redis when configured.
 */
export function processFoundation(
  config: AppConfig,
  endpoint: DatabaseEndpoint,
  schema: 'migrate' | 'await',
): DynamicModule[] {
  return [
    ConfigModule.forRoot(config),
    DatabaseModule.forRoot({
      endpoint,
      migrations: ALL_MIGRATIONS,
      connectRetries: config.database.connectRetries,
      retryDelayMs: config.database.retryDelayMs,
      schema,
    }),
    RedisModule.forRoot(config.redis?.url),
  ];
}
