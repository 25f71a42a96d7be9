import type { DatabaseConfig } from '@tocsin/config';
import type { Logger } from 'pino';
import { EmbeddedPostgres } from './embedded-postgres';

/** Where the database is and how to let go of it; the connection pool is TypeORM's. */
export interface DatabaseEndpoint {
  kind: DatabaseConfig['kind'];
  connection:
    | { url: string; ssl: boolean }
    | { host: string; port: number; username: string; database: string };
  poolSize: number;
  /** For logs: where the data is, never a password. */
  description: string;
  close(): Promise<void>;
}

/**
 * Opens the configured database: PostgreSQL at DATABASE_URL, or the embedded server under
 * DATA_DIR when no URL is given.
 */
export async function openDatabaseEndpoint(
  config: DatabaseConfig,
  logger: Logger,
): Promise<DatabaseEndpoint> {
  if (config.kind === 'postgres') {
    const description = `PostgreSQL at ${redactUrl(config.url)}`;
    logger.info({ database: 'postgres', target: redactUrl(config.url) }, 'using PostgreSQL');

    return {
      kind: 'postgres',
      connection: { url: config.url, ssl: config.ssl },
      poolSize: config.poolSize,
      description,
      close: async () => undefined,
    };
  }

  const started = Date.now();
  logger.info({ database: 'embedded', dataDir: config.dataDir }, 'starting embedded database');
  const embedded = await EmbeddedPostgres.start(config.dataDir);
  logger.info(
    { database: 'embedded', dataDir: config.dataDir, ms: Date.now() - started },
    'using the embedded database (PGlite with PostGIS); set DATABASE_URL for production',
  );

  return {
    kind: 'embedded',
    connection: {
      host: embedded.address.socketDir,
      port: embedded.address.port,
      username: embedded.address.user,
      database: embedded.address.database,
    },
    poolSize: config.poolSize,
    description: `embedded database in ${config.dataDir}`,
    close: () => embedded.stop(),
  };
}

/** Removes the password from a connection URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';

    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
