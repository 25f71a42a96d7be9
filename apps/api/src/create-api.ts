import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CAP_IMPORT_ROUTE } from '@tocsin/alerts';
import type { AppConfig } from '@tocsin/config';
import type { DatabaseEndpoint } from '@tocsin/database';
import { configureHttp } from '@tocsin/http';
import { LiveHelpCors } from '@tocsin/livehelp';
import { PinoNestLogger } from '@tocsin/logging';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { tileSource } from './client-config/tile-origin';
import { APP_VERSION } from './version';

/**
 * Builds the whole API (HTTP, sockets, jobs) on an opened database, ready to listen. The
 * server and the end-to-end tests both start it this way.
 */
export async function createApi(
  config: AppConfig,
  endpoint: DatabaseEndpoint,
  logger: Logger,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, endpoint),
    { bodyParser: false, logger: new PinoNestLogger(logger), abortOnError: false },
  );
  // The map's tiles are images on the page and fetches in the service worker.
  const tiles = tileSource(config.map.tileUrl);
  configureHttp(app, {
    config,
    logger,
    version: APP_VERSION,
    rawBodyRoutes: [CAP_IMPORT_ROUTE],
    beforeCors: [app.get(LiveHelpCors).middleware()],
    imageSources: tiles ? [tiles] : [],
    connectSources: tiles ? [tiles] : [],
  });

  return app;
}
