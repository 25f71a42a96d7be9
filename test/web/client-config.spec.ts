import { ConfigError, loadConfig } from '@tocsin/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestApp, type TestApp } from '../support/test-app';

describe('client configuration and the tile host in the CSP', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({
      TILE_URL: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png',
      TILE_ATTRIBUTION: '© Example <maps>',
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('serves the tile settings without a token', async () => {
    const response = await request(`${api.url}/api/client-config`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      tileUrl: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png',
      tileAttribution: '© Example <maps>',
    });
  });

  it('allows the tile host for images and the service worker, and no inline script', async () => {
    const csp = (await request(`${api.url}/api/health`)).headers.get('content-security-policy');

    expect(csp).toMatch(/img-src [^;]*https:\/\/\*\.tiles\.example\.org/);
    expect(csp).toMatch(/connect-src [^;]*https:\/\/\*\.tiles\.example\.org/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
  });

  it('refuses a tile URL that is not an XYZ template', () => {
    expect(() => loadConfig({ TILE_URL: 'javascript:alert(1)' })).toThrow(ConfigError);
    expect(() => loadConfig({ TILE_URL: 'https://tiles.example.org/map.png' })).toThrow(/TILE_URL/);
  });
});
