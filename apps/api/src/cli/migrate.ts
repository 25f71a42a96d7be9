import 'reflect-metadata';
import 'dotenv/config';
import { loadConfig } from '@tocsin/config';
import { dataSourceOptions, openDatabaseEndpoint } from '@tocsin/database';
import { createRootLogger } from '@tocsin/logging';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../schema';

const USAGE = 'usage: npm run migration:run | migration:revert | migration:show';

/** Runs, reverts or lists migrations against the configured database (embedded or not). */
async function main(command: string | undefined): Promise<number> {
  if (!command || !['run', 'revert', 'show'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);

    return 2;
  }
  const config = loadConfig(process.env);
  const logger = createRootLogger(config.log);
  const endpoint = await openDatabaseEndpoint(config.database, logger);
  const dataSource = new DataSource(dataSourceOptions(endpoint, ALL_MIGRATIONS));

  try {
    await dataSource.initialize();
    if (command === 'run') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      logger.info(
        { applied: applied.map((m) => m.name) },
        `${applied.length} migration(s) applied`,
      );
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      logger.info('the last migration was reverted');
    } else {
      const pending = await dataSource.showMigrations();
      logger.info({ pending }, pending ? 'migrations are pending' : 'the schema is up to date');
    }

    return 0;
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await endpoint.close();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`migration failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
