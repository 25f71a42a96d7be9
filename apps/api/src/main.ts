import 'reflect-metadata';
import 'dotenv/config';
import { ConfigError, loadConfig } from '@tocsin/config';
import { openDatabaseEndpoint, type DatabaseEndpoint } from '@tocsin/database';
import { createRootLogger } from '@tocsin/logging';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApi } from './create-api';
import { APP_VERSION } from './version';

/** Starts the server: config, database, API, then waits for a signal to stop cleanly. */
async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createRootLogger(config.log);
  logger.info({ version: APP_VERSION, env: config.env }, 'starting Tocsin');

  let endpoint: DatabaseEndpoint | undefined;
  let app: NestExpressApplication | undefined;
  try {
    endpoint = await openDatabaseEndpoint(config.database, logger);
    app = await createApi(config, endpoint, logger);
    await app.listen(config.http.port, config.http.host);
  } catch (error) {
    logger.fatal(
      { err: error, database: endpoint?.description },
      'Tocsin could not start: the database did not answer or the start failed (see err)',
    );
    await app?.close().catch(() => undefined);
    await endpoint?.close().catch(() => undefined);
    process.exit(1);
  }

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const url = config.http.publicUrl ?? `http://localhost:${port}`;
  logger.info({ url, database: endpoint.description }, `Tocsin is listening on ${url}`);

  stopOnSignal(app, endpoint, logger);
}

function readConfigOrExit() {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee the configuration table in README.md.\n`);
      process.exit(2);
    }
    throw error;
  }
}

function stopOnSignal(
  app: NestExpressApplication,
  endpoint: DatabaseEndpoint,
  logger: ReturnType<typeof createRootLogger>,
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // A shutdown that hangs must not keep a supervisor waiting forever.
    setTimeout(() => process.exit(1), 15_000).unref();

    await app.close();
    await endpoint.close();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}

void main();
