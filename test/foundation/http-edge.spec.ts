import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestApp, type TestApp } from '../support/test-app';

describe('the HTTP edge', () => {
  let api: TestApp;
  let webDir: string;

  beforeAll(async () => {
    webDir = await mkdtemp(path.join(os.tmpdir(), 'tocsin-web-'));
    await writeFile(
      path.join(webDir, 'index.html'),
      '<!doctype html><html><body>pwa</body></html>',
    );
    api = await startTestApp({ WEB_DIST_DIR: webDir, BODY_LIMIT: '2kb' });
  });

  afterAll(async () => {
    await api?.close();
    await rm(webDir, { recursive: true, force: true });
  });

  it('reports health with the database up', async () => {
    const { status, body } = await request(`${api.url}/api/health`);

    expect(status).toBe(200);
    expect(body.details.database.status).toBe('up');
  });

  it('answers an unknown route with 404 in the error shape', async () => {
    const { status, body, headers } = await request(`${api.url}/api/no-such-thing`);

    expect(status).toBe(404);
    expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(typeof body.message).toBe('string');
    expect(body.requestId).toBe(headers.get('x-request-id'));
  });

  it('refuses malformed JSON with 400', async () => {
    const { status, body } = await request(`${api.url}/api/health`, {
      method: 'POST',
      body: '{"email": ',
    });

    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(body.message).toMatch(/not valid JSON/);
  });

  it('refuses a body over the limit with 413', async () => {
    const { status, body } = await request(`${api.url}/api/health`, {
      method: 'POST',
      body: { padding: 'x'.repeat(4096) },
    });

    expect(status).toBe(413);
    expect(body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const { status, body } = await request(`${api.url}/api/health`, {
      method: 'POST',
      body: 'email=a@b.c',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect(status).toBe(415);
    expect(body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
  });

  it.each([
    ['a NUL character', '{"name":"a\\u0000b"}', /NUL/],
    ['an unpaired surrogate', '{"name":"\\ud800"}', /surrogate/],
    ['an unpaired surrogate in a key', '{"\\udfff":1}', /surrogate/],
    ['nesting 100 levels deep', `{"a":${'['.repeat(100)}${']'.repeat(100)}}`, /deeper/],
  ])('refuses a body with %s with 400', async (_name, body, reason) => {
    const { status, body: answer } = await request(`${api.url}/api/health`, {
      method: 'POST',
      body,
    });

    expect(status).toBe(400);
    expect(answer.message).toMatch(reason);
  });

  it('refuses a body that does not decode with its Content-Encoding with 400', async () => {
    const response = await fetch(`${api.url}/api/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: Buffer.from([0x1f, 0x8b, 0x78, 0x78, 0x78]),
    });

    expect(response.status).toBe(400);
  });

  it('keeps a well-formed request id from a proxy and replaces a hostile one', async () => {
    const kept = await request(`${api.url}/api/health`, { headers: { 'x-request-id': 'edge-42' } });
    const replaced = await request(`${api.url}/api/health`, {
      headers: { 'x-request-id': 'bad id <script>' },
    });

    expect(kept.headers.get('x-request-id')).toBe('edge-42');
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const { headers } = await request(`${api.url}/api/health`);

    expect(headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-powered-by')).toBeNull();
  });

  it('hashes no JSON answer for an ETag, but keeps ETags on the files it serves', async () => {
    const json = await request(`${api.url}/api/health`);
    const page = await request(`${api.url}/`, { headers: { accept: 'text/html' } });

    expect(json.headers.get('content-type')).toMatch(/json/);
    expect(json.headers.get('etag')).toBeNull();
    expect(page.headers.get('etag')).toBeTruthy();
  });

  it('serves the OpenAPI description', async () => {
    const { status, body } = await request(`${api.url}/api/docs-json`);

    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(body.paths['/api/health']).toBeDefined();
  });

  it('describes the group and conversation member bodies with their own schemas', async () => {
    const { body } = await request(`${api.url}/api/docs-json`);
    const bodySchema = (path: string): { properties: Record<string, unknown> } => {
      const ref: string = body.paths[path].post.requestBody.content['application/json'].schema.$ref;

      return body.components.schemas[ref.replace('#/components/schemas/', '')];
    };

    expect(Object.keys(bodySchema('/api/groups/{id}/members').properties).sort()).toEqual([
      'role',
      'userId',
    ]);
    expect(Object.keys(bodySchema('/api/conversations/{id}/members').properties)).toEqual([
      'userId',
    ]);
  });

  it('serves the PWA at / and for client-side routes, but not under /api', async () => {
    const root = await request(`${api.url}/`, { headers: { accept: 'text/html' } });
    const deep = await request(`${api.url}/alerts/123`, { headers: { accept: 'text/html' } });
    const api404 = await request(`${api.url}/api/alerts-nope`, {
      headers: { accept: 'text/html' },
    });

    expect(root.status).toBe(200);
    expect(root.body).toContain('pwa');
    expect(deep.body).toContain('pwa');
    expect(api404.status).toBe(404);
  });
});
