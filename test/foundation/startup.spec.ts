import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiProcess, removeBuild, runServerToExit } from '../support/api-process';
import { login, OPERATOR, identityEnv } from '../support/identity-factory';

/** The server as an operator starts it: a process, its exit code, what it prints. */
describe('starting the server', () => {
  afterAll(() => removeBuild());

  it('refuses a wrong setting with exit code 2, naming the variable and what it expects', async () => {
    const { code, output } = await runServerToExit({ PORT: 'eighty', LOG_LEVEL: 'loud' });

    expect(code).toBe(2);
    expect(output).toMatch(/PORT: .*number/);
    expect(output).toMatch(/LOG_LEVEL: /);
  });

  it('gives up with exit code 1 and a clear message when the database does not answer', async () => {
    const { code, output } = await runServerToExit({
      DATABASE_URL: 'postgres://tocsin@127.0.0.1:1/tocsin',
      DATABASE_CONNECT_RETRIES: '1',
      DATABASE_RETRY_DELAY_MS: '100',
      PORT: '0',
    });

    expect(code).toBe(1);
    expect(output).toMatch(/could not start/);
    expect(output).toMatch(/ECONNREFUSED/);
  });

  it('starts on the embedded database with no database settings and keeps data across a restart', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tocsin-start-'));
    const env = { ...identityEnv(), DATABASE_URL: '', DATA_DIR: dataDir };
    try {
      const first = await ApiProcess.start(env);
      expect(first.output).toMatch(/using the embedded database/);
      const tokens = await login(first.url, OPERATOR.email, OPERATOR.password);
      const created = await fetch(`${first.url}/api/agencies`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens.accessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name: 'Survives restarts' }),
      });
      expect(created.status).toBe(201);
      await first.stop();

      const second = await ApiProcess.start({ ...env, TOCSIN_ADMIN_PASSWORD: '' });
      const again = await login(second.url, OPERATOR.email, OPERATOR.password);
      const agencies = await fetch(`${second.url}/api/agencies`, {
        headers: { authorization: `Bearer ${again.accessToken}` },
      }).then((response) => response.json() as Promise<{ name: string }[]>);
      await second.stop();

      expect(agencies.map((agency: { name: string }) => agency.name)).toContain(
        'Survives restarts',
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
