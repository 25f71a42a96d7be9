import * as http from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import { afterEach, describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers';

type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      'img-src': ["'self'", 'data:', 'https://*.tiles.example.org'],
      'connect-src': ["'self'", 'ws:', 'wss:'],
      'worker-src': ["'self'"],
    },
  },
};

const servers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** The headers a real response carries with `middleware` in front of it. */
async function headersWith(middleware: Middleware): Promise<Record<string, string>> {
  const server = http.createServer((req, res) => middleware(req, res, () => res.end('ok')));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const response = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'date') headers[name] = value;
  });

  return headers;
}

describe('security headers', () => {
  it('are exactly the headers Helmet sends for the same options', async () => {
    const ours = await headersWith(securityHeaders(OPTIONS));
    const helmets = await headersWith(helmet(OPTIONS));

    expect(ours).toEqual(helmets);
    expect(ours['content-security-policy']).toMatch(/img-src [^;]*tiles\.example\.org/);
    expect(ours['x-content-type-options']).toBe('nosniff');
  });

  it('refuse a policy computed per request, which cannot be computed once', () => {
    const nonce = () => "'nonce-abc'";

    expect(() =>
      securityHeaders({ contentSecurityPolicy: { directives: { 'script-src': [nonce] } } }),
    ).toThrow(/per-request/);
  });
});
