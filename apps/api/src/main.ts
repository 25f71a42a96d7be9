import 'reflect-metadata';
import 'dotenv/config';
import type { DatabaseEndpoint } from '@tocsin/database';
import { createRootLogger } from '@tocsin/logging';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { readConfigOrExit, stopOnSignal } from './process-lifecycle';
import { StartGate } from './start-gate';
import { APP_VERSION } from './version';

/**
 * Starts the server: config, the port (held, see {@link StartGate}), database, API, then serves
 * and waits for a signal to stop cleanly.
 */
async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createRootLogger(config.log);
  logger.info({ version: APP_VERSION, env: config.env }, 'starting Tocsin');

  let gate: StartGate | undefined;
  let endpoint: DatabaseEndpoint | undefined;
  let app: NestExpressApplication | undefined;
  try {
    gate = await StartGate.open(config.http.port, config.http.host);
    // Loaded after the port is taken: loading Nest, TypeORM and the libraries is most of the
    // start-up, and clients reconnecting meanwhile should wait on the port, not be refused.
    const { openDatabaseEndpoint } = await import('@tocsin/database');
    const { createApi } = await import('./create-api');
    endpoint = await openDatabaseEndpoint(config.database, logger);
    app = await createApi(config, endpoint, logger);
    // Everything Nest does before listening (module init, the outbox sweep) happens here.
    await app.init();
    gate.handOver(app.getHttpServer());
  } catch (error) {
    logger.fatal(
      { err: error, database: endpoint?.description },
      'Tocsin could not start: the database did not answer or the start failed (see err)',
    );
    await gate?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await endpoint?.close().catch(() => undefined);
    process.exit(1);
  }

  const url = config.http.publicUrl ?? `http://localhost:${gate.port}`;
  logger.info({ url, database: endpoint.description }, `Tocsin is listening on ${url}`);

  const [openGate, openApp, openEndpoint] = [gate, app, endpoint];
  stopOnSignal(logger, async () => {
    const closed = openGate.close();
    await openApp.close();
    await closed;
    await openEndpoint.close();
  });
}

void main();
