import 'reflect-metadata';
import 'dotenv/config';
import type { INestApplicationContext } from '@nestjs/common';
import { openDatabaseEndpoint, type DatabaseEndpoint } from '@tocsin/database';
import { createRootLogger } from '@tocsin/logging';
import { createWorker, workerConfigProblem } from './create-worker';
import { readConfigOrExit, stopOnSignal } from './process-lifecycle';
import { APP_VERSION } from './version';

/**
 * Starts a worker process (`npm run worker`): the push worker alone, taking the jobs that API
 * processes with PUSH_WORKER=off queue on Redis, so that encrypting and sending pushes never
 * runs on the event loop that serves sockets. Run one or more beside the API processes.
 */
async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createRootLogger(config.log);
  const problem = workerConfigProblem(config);
  if (problem) {
    process.stderr.write(`Invalid configuration for the worker:\n  - ${problem}\n`);
    process.exit(2);
  }
  logger.info({ version: APP_VERSION, env: config.env }, 'starting the Tocsin push worker');

  let endpoint: DatabaseEndpoint | undefined;
  let app: INestApplicationContext | undefined;
  try {
    endpoint = await openDatabaseEndpoint(config.database, logger);
    app = await createWorker(config, endpoint, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'the Tocsin push worker could not start (see err)');
    await app?.close().catch(() => undefined);
    await endpoint?.close().catch(() => undefined);
    process.exit(1);
  }
  logger.info({ database: endpoint.description }, 'the Tocsin push worker is taking jobs');

  const [openApp, openEndpoint] = [app, endpoint];
  stopOnSignal(logger, async () => {
    // Closing waits for the chunks being sent and records their outcomes.
    await openApp.close();
    await openEndpoint.close();
  });
}

void main();
