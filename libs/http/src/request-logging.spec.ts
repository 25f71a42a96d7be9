import * as http from 'node:http';
import { Writable } from 'node:stream';
import { REDACTED_PATHS } from '@tocsin/logging';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { requestLogging } from './request-logging';

const SECRET = 'eyJhbGciOiJFUzI1NiJ9.secret-part';

/** A real HTTP server behind the middleware, and the log lines it wrote. */
async function serve(level: string) {
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const logger = pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
  const middleware = requestLogging(logger);
  const server = http.createServer((req, res) =>
    middleware(req, res, () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/me') Object.assign(req, { principal: { userId: 'user-7' } });
      res.statusCode = Number(url.searchParams.get('status') ?? 200);
      res.end('{}');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  servers.push(server);

  return { base, lines };
}

const servers: http.Server[] = [];

/** The line for a request is written when its response closes, just after the client has it. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('request logging', () => {
  it('writes one line per request: id, method, path, status, duration, user', async () => {
    const { base, lines } = await serve('debug');

    const response = await fetch(`${base}/me?token=${SECRET}`, {
      headers: { authorization: `Bearer ${SECRET}`, 'x-request-id': 'edge-1' },
    });
    await response.text();
    await settled();

    expect(response.headers.get('x-request-id')).toBe('edge-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 20,
      msg: 'request completed',
      req: { id: 'edge-1', method: 'GET', path: '/me' },
      res: { statusCode: 200 },
      userId: 'user-7',
    });
    expect(typeof lines[0].responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('secret-part');
  });

  it('logs client errors at info and server errors at error, and drops what the level drops', async () => {
    const { base, lines } = await serve('info');

    for (const status of [200, 404, 503]) await (await fetch(`${base}/x?status=${status}`)).text();
    await settled();

    expect(lines.map((l) => [l.res.statusCode, l.level])).toEqual([
      [404, 30],
      [503, 50],
    ]);
    expect(lines[0].userId).toBeUndefined();
  });

  it('still gives every request an id when the log is silent', async () => {
    const { base, lines } = await serve('silent');

    const response = await fetch(`${base}/x?status=500`);
    await response.text();
    await settled();

    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toEqual([]);
  });
});
