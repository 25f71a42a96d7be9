import 'reflect-metadata';
import 'dotenv/config';
import { NestFactory } from '@nestjs/core';
import { CapImportService } from '@tocsin/alerts';
import { loadConfig } from '@tocsin/config';
import { openDatabaseEndpoint } from '@tocsin/database';
import { createRootLogger, PinoNestLogger } from '@tocsin/logging';
import { AppModule } from '../app.module';
import { capFiles, importCapFiles } from './cap-import-files';

const USAGE = 'usage: npm run cap:import -- <file or folder> --agency <agency id>';

/**
 * Imports a CAP file, or every .xml file of a folder, for an agency, from the shell. Prints
 * one JSON line per file (`result`: created, updated, cancelled, duplicate, stale, held or
 * refused with its `reason`). Exit 0 when nothing was refused, 1 otherwise, 2 on bad usage.
 * Alerts are stored with their recipients and outbox rows as from the API.
 * TODO: this process has no Socket.IO server, so its own fan-out attempt fails and is logged;
 * the outbox rows stay pending and a running API process delivers them on its next sweep.
 */
async function main(args: string[]): Promise<number> {
  const agencyAt = args.indexOf('--agency');
  const agencyId = agencyAt >= 0 ? args[agencyAt + 1] : undefined;
  const target = args.find((arg, i) => !arg.startsWith('--') && i !== agencyAt + 1);
  if (!target || !agencyId || !/^[0-9a-f-]{36}$/i.test(agencyId)) {
    process.stderr.write(`${USAGE}\n`);

    return 2;
  }
  const files = await capFiles(target);
  const config = loadConfig(process.env);
  const logger = createRootLogger({ ...config.log, level: 'warn' });
  const endpoint = await openDatabaseEndpoint(config.database, logger);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, endpoint), {
    logger: new PinoNestLogger(logger),
  });

  try {
    const results = await importCapFiles(app.get(CapImportService), agencyId.toLowerCase(), files);
    for (const result of results) process.stdout.write(`${JSON.stringify(result)}\n`);

    return results.some((result) => result.result === 'refused') ? 1 : 0;
  } finally {
    await app.close();
    await endpoint.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`cap import failed to run: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
