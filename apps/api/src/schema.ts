import { alertsMigrations } from '@tocsin/alerts';
import { auditMigrations } from '@tocsin/audit';
import { databaseMigrations } from '@tocsin/database';
import { feedsMigrations } from '@tocsin/feeds';
import { groupsMigrations } from '@tocsin/groups';
import { identityMigrations } from '@tocsin/identity';
import { messagingMigrations } from '@tocsin/messaging';
import { outboxMigrations } from '@tocsin/outbox';
import { pushMigrations } from '@tocsin/push';

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
];
