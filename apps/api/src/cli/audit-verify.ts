import 'reflect-metadata';
import 'dotenv/config';
import { verifyAuditChains } from '@tocsin/audit';
import { loadConfig } from '@tocsin/config';
import { dataSourceOptions, openDatabaseEndpoint } from '@tocsin/database';
import { createRootLogger } from '@tocsin/logging';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../schema';

/**
 * Verifies every audit hash chain from the shell: exit 0 when intact, 1 when an event was
 * changed (its id is printed), 2 on bad usage. An optional agency id limits the check.
 */
async function main(agencyId: string | undefined): Promise<number> {
  if (agencyId !== undefined && !/^[0-9a-f-]{36}$/i.test(agencyId)) {
    process.stderr.write('usage: npm run audit:verify [-- <agency id>]\n');

    return 2;
  }
  const config = loadConfig(process.env);
  const logger = createRootLogger({ ...config.log, level: 'warn' });
  const endpoint = await openDatabaseEndpoint(config.database, logger);
  const dataSource = new DataSource(dataSourceOptions(endpoint, ALL_MIGRATIONS));

  try {
    await dataSource.initialize();
    const result = await verifyAuditChains(
      dataSource.manager,
      agencyId ? [agencyId.toLowerCase()] : undefined,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);

    return result.ok ? 0 : 1;
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await endpoint.close();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit verification failed to run: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
