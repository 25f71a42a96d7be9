import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('runs with no settings at all on the embedded database', () => {
    const config = loadConfig({}, '/srv/tocsin');

    expect(config.http.port).toBe(3000);
    expect(config.database).toMatchObject({
      kind: 'embedded',
      dataDir: '/srv/tocsin/data',
      poolSize: 1,
    });
    expect(config.redis).toBeUndefined();
  });

  it('uses PostgreSQL and Redis when their URLs are given', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://tocsin:secret@db.internal:5432/tocsin',
      REDIS_URL: 'redis://cache.internal:6379',
      DATABASE_POOL_SIZE: '20',
    });

    expect(config.database).toMatchObject({ kind: 'postgres', poolSize: 20 });
    expect(config.redis).toEqual({ url: 'redis://cache.internal:6379' });
  });

  it('names each wrong variable and what it expects', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://localhost/tocsin',
      LOG_LEVEL: 'loud',
      BODY_LIMIT: 'huge',
    });

    expect(problems).toHaveLength(4);
    expect(problems.find((p) => p.startsWith('PORT:'))).toMatch(/number/);
    expect(problems.find((p) => p.startsWith('DATABASE_URL:'))).toMatch(/postgres:\/\//);
    expect(problems.find((p) => p.startsWith('LOG_LEVEL:'))).toMatch(/info/);
    expect(problems.find((p) => p.startsWith('BODY_LIMIT:'))).toMatch(/1mb/);
  });

  it('refuses a port out of range and a PUBLIC_URL that is not http(s)', () => {
    const problems = problemsOf({ PORT: '70000', PUBLIC_URL: 'ftp://example.org' });

    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['PORT', 'PUBLIC_URL']);
  });

  it('treats an empty DATABASE_URL as not set', () => {
    expect(loadConfig({ DATABASE_URL: '' }).database.kind).toBe('embedded');
  });

  it('reads the push settings and refuses a half VAPID key pair or a bad key', () => {
    const config = loadConfig({
      PUBLIC_URL: 'https://alerts.example.org',
      PUSH_ALLOWED_HOSTS: 'push.example.org, 127.0.0.1:8443',
      PUSH_CONCURRENCY: '4',
    });
    expect(config.push).toMatchObject({
      vapidKeys: undefined,
      subject: 'https://alerts.example.org',
      allowedHosts: ['push.example.org', '127.0.0.1:8443'],
      concurrency: 4,
    });

    const publicKey = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url');
    expect(problemsOf({ VAPID_PUBLIC_KEY: publicKey })).toEqual([
      expect.stringMatching(/^VAPID_PRIVATE_KEY: .*together/),
    ]);
    expect(problemsOf({ VAPID_PRIVATE_KEY: 'not+base64url', VAPID_SUBJECT: 'me' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^VAPID_PRIVATE_KEY: expected base64url of 32 bytes/),
        expect.stringMatching(/^VAPID_SUBJECT: expected a mailto:/),
      ]),
    );
  });

  it('sends pushes in-process by default, and turns the worker off only with Redis', () => {
    expect(loadConfig({}).push.worker).toBe('in-process');
    expect(
      loadConfig({ PUSH_WORKER: 'off', REDIS_URL: 'redis://cache.internal:6379' }).push.worker,
    ).toBe('off');

    expect(problemsOf({ PUSH_WORKER: 'off' })).toEqual([
      expect.stringMatching(/^PUSH_WORKER: off needs REDIS_URL/),
    ]);
    expect(problemsOf({ PUSH_WORKER: 'elsewhere' })).toEqual([
      expect.stringMatching(/^PUSH_WORKER: .*in-process/),
    ]);
  });
});
