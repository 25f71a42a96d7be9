import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiProcess, freePort, removeBuild, runServerToExit } from '../support/api-process';
import { login, OPERATOR, identityEnv } from '../support/identity-factory';
import { createTestDatabase } from '../support/test-database';

/** A TCP connection to `port`, retried every 20 ms while it is refused. */
async function connectWhenOpen(port: number, timeoutMs = 30_000): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const socket = await new Promise<Socket | undefined>((resolve) => {
      const attempt = connect(port, '127.0.0.1', () => resolve(attempt));
      attempt.once('error', () => resolve(undefined));
    });
    if (socket) return socket;
    if (Date.now() > deadline) throw new Error(`port ${port} never opened`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends one HTTP/1.1 request on a raw socket and returns everything the server answered. */
function rawRequest(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.once('end', () => resolve(answer));
    socket.once('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

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

  it('holds a connection made while it starts and answers it when ready, instead of refusing it', async () => {
    const database = await createTestDatabase();
    const api = ApiProcess.launch({ ...database.env, ...identityEnv() }, await freePort());
    try {
      const socket = await connectWhenOpen(Number(new URL(api.url).port));
      // Connected before the server said it serves: the port was taken first, then the rest.
      const servingAtConnect = /Tocsin is listening/.test(api.output);
      const answer = await rawRequest(socket, '/api/health');

      expect(servingAtConnect).toBe(false);
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      await api.stop();
      await database.drop();
    }
  }, 120_000);
});
