import { existsSync } from 'node:fs';
import * as path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';

const NOT_THE_APP = /^\/(api|socket\.io|livehelp)(\/|$)/;

/**
 * Serves the built PWA: hashed assets cached for a year, everything else revalidated, and
 * any other page path answered with index.html so client-side routes survive a reload.
 */
export function serveWeb(app: express.Express, distDir: string, logger: Logger): void {
  const indexFile = path.join(distDir, 'index.html');
  if (!existsSync(indexFile)) {
    logger.warn({ distDir }, 'the web app is not built; run `npm run build` to serve it');
    app.get('/', (_req, res) => {
      res
        .type('html')
        .send(
          '<!doctype html><html><body><p>Tocsin API is running. The web app is not built.' +
            ' Run <code>npm run build</code>.</p></body></html>',
        );
    });

    return;
  }

  const files = express.static(distDir, {
    index: false,
    setHeaders: (res, filePath) => {
      const hashed = filePath.includes(`${path.sep}assets${path.sep}`);
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // This runs ahead of the API's routes (Nest adds them when it starts listening): without
  // the test, every API GET would first look for a file of its path on disk.
  app.use((req: Request, res: Response, next: NextFunction) =>
    NOT_THE_APP.test(req.path) ? next() : files(req, res, next),
  );

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || NOT_THE_APP.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
}

/**
 * Serves the built Live Help app under `/livehelp/`: `widget.js`, which other sites embed
 * (so it may be loaded cross-origin, and is revalidated so a fix reaches every site), and
 * the representatives' console at `/livehelp/`.
 */
export function serveLiveHelp(app: express.Express, distDir: string, logger: Logger): void {
  if (!existsSync(path.join(distDir, 'widget.js'))) {
    logger.warn({ distDir }, 'Live Help is not built; run `npm run build:livehelp` to serve it');

    return;
  }

  app.use(
    '/livehelp',
    express.static(distDir, {
      index: 'index.html',
      setHeaders: (res, filePath) => {
        const hashed = filePath.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        if (path.basename(filePath) === 'widget.js') {
          res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
        }
      },
    }),
  );
}
