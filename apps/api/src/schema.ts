import { databaseMigrations } from '@tocsin/database';
import { pushMigrations } from '@tocsin/push';

/**
 * Every migration of every library, in one list for the app and the migration command.
 * TypeORM orders them by the timestamp at the end of each class name.
 */
export const ALL_MIGRATIONS: Function[] = [...databaseMigrations, ...pushMigrations];
