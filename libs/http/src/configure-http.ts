import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@tocsin/config';
import type express from 'express';
import type { Logger } from 'pino';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { installBodyParsing, type RawBodyRoute } from './body-parsing';
import { requestLogging } from './request-logging';
import { securityHeaders } from './security-headers';
import { serveLiveHelp, serveWeb } from './serve-web';
import { StrictValidationPipe } from './strict-validation.pipe';

export interface HttpSetup {
  config: AppConfig;
  logger: Logger;
  version: string;
  rawBodyRoutes?: RawBodyRoute[];
  /** Extra image sources for the Content-Security-Policy, such as the map tile server. */
  imageSources?: string[];
  /** Middleware that answers CORS for some routes itself, ahead of the API-wide CORS. */
  beforeCors?: express.RequestHandler[];
  /** Extra fetch targets (connect-src), such as the tile server the service worker caches. */
  connectSources?: string[];
}

/**
 * Everything the HTTP edge does before a controller runs, in order: request id and log,
 * security headers, CORS, body parsing, then the API under `/api`, its documentation, and
 * the PWA at `/`.
 */
export function configureHttp(app: NestExpressApplication, setup: HttpSetup): void {
  const { config, logger } = setup;
  const server = app.getHttpAdapter().getInstance() as express.Express;

  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  keepETagsOffJson(server);
  app.use(requestLogging(logger));
  app.use(
    securityHeaders({
      contentSecurityPolicy: {
        directives: {
          'img-src': ["'self'", 'data:', 'blob:', ...(setup.imageSources ?? [])],
          'connect-src': ["'self'", 'ws:', 'wss:', ...(setup.connectSources ?? [])],
          'worker-src': ["'self'"],
        },
      },
    }),
  );
  for (const middleware of setup.beforeCors ?? []) app.use(middleware);
  app.enableCors({
    origin: config.http.corsOrigins.length > 0 ? config.http.corsOrigins : false,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
  });
  installBodyParsing(server, config.http.bodyLimit, setup.rawBodyRoutes);

  app.setGlobalPrefix('api');
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  setupOpenApi(app, setup.version);
  serveLiveHelp(server, config.livehelp.distDir, logger);
  serveWeb(server, config.http.webDistDir, logger);
}

/**
 * Express hashes every body it sends (SHA-1) for an ETag. API JSON is per user and changes
 * with every alert, so revalidating it saves little, and the hash is a fair share of a map
 * request's cost: JSON bodies go without. Other bodies sent this way (the public Atom and
 * CAP feeds, which other servers poll with If-None-Match) keep Express's ETag; static files
 * have their own (serve-static), untouched by this setting.
 */
function keepETagsOffJson(server: express.Express): void {
  const expressETag = server.get('etag fn') as (body: Buffer | string, encoding?: string) => string;
  server.set('etag', (body: Buffer | string, encoding?: string) =>
    looksLikeJson(body) ? undefined : expressETag(body, encoding),
  );
}

/** A JSON object or array: the first byte is `{` or `[` (API JSON has no leading space). */
function looksLikeJson(body: Buffer | string): boolean {
  const first = typeof body === 'string' ? body.charCodeAt(0) : body[0];

  return first === 0x7b || first === 0x5b;
}

function setupOpenApi(app: NestExpressApplication, version: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tocsin API')
      .setDescription(
        'Emergency alerts and secure messaging for first responders. Every call except ' +
          'login, refresh, health and the public feed needs `Authorization: Bearer <token>`. ' +
          'Errors are JSON `{statusCode, error, message}`.',
      )
      .setVersion(version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
