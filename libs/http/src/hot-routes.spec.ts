import express from 'express';
import { describe, expect, it } from 'vitest';
import { promoteGetRoute } from './hot-routes';

type Handler = express.RequestHandler;
const noop: Handler = (_req, _res, next) => next();

function names(app: express.Express): string[] {
  const stack = (app.router as unknown as { stack: any[] }).stack;

  return stack.map((layer) =>
    layer.route ? `${Object.keys(layer.route.methods).join()} ${layer.route.path}` : 'use',
  );
}

describe('promoteGetRoute', () => {
  it('moves a GET route ahead of the routes before it, never ahead of a middleware', () => {
    const app = express();
    app.use(noop);
    app.get('/api/health', noop);
    app.use(noop);
    app.get('/api/me', noop);
    app.post('/api/alerts', noop);
    app.get('/api/alerts', noop);
    app.get('/api/alerts/:id', noop);

    expect(promoteGetRoute(app, '/api/alerts')).toBe(true);
    expect(names(app)).toEqual([
      'use',
      'get /api/health',
      'use',
      'get /api/alerts',
      'get /api/me',
      'post /api/alerts',
      'get /api/alerts/:id',
    ]);
  });

  it('leaves the order when a route it would pass answers the same GET', () => {
    const app = express();
    app.use(noop);
    app.get('/api/:name', noop);
    app.get('/api/alerts', noop);
    const before = names(app);

    expect(promoteGetRoute(app, '/api/alerts')).toBe(false);
    expect(promoteGetRoute(app, '/api/unknown')).toBe(false);
    expect(names(app)).toEqual(before);
  });
});
