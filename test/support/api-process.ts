import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
let built: string | undefined;

/** Compiles the server once per test file into dist-test/ (inside the repo, for node_modules). */
function buildServer(): string {
  if (built) return built;
  mkdirSync(path.join(ROOT, 'dist-test'), { recursive: true });
  const out = mkdtempSync(path.join(ROOT, 'dist-test', 'build-'));
  execFileSync(
    path.join(ROOT, 'node_modules/.bin/swc'),
    ['apps/api/src', 'libs', '-d', out, '--ignore', '**/*.spec.ts', '--quiet'],
    { cwd: ROOT, stdio: 'pipe' },
  );
  built = path.join(out, 'apps/api/src/main.js');

  return built;
}

/** The compiled entry point beside the server's main.js: `main` or `worker`. */
function entryPoint(name: 'main' | 'worker'): string {
  return path.join(path.dirname(buildServer()), `${name}.js`);
}

/** Runs the compiled server (or worker) to its exit (for start-up failures) and what it said. */
export function runServerToExit(
  env: Record<string, string>,
  timeoutMs = 60_000,
  entry: 'main' | 'worker' = 'main',
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [entryPoint(entry)], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);

  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

/** Deletes this test file's compiled server. */
export function removeBuild(): void {
  if (!built) return;
  rmSync(path.resolve(built, '../../../..'), { recursive: true, force: true });
  built = undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The real server as its own process, so a test can kill it like a power cut would. */
export class ApiProcess {
  private exited: Promise<number | null>;
  output = '';

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(env: Record<string, string>): Promise<ApiProcess> {
    const api = ApiProcess.launch(env, await freePort());
    await api.waitHealthy();

    return api;
  }

  /** Spawns the server on `port` without waiting for it to answer. */
  static launch(env: Record<string, string>, port: number): ApiProcess {
    const child = spawnEntry('main', { HOST: '127.0.0.1', PORT: String(port), ...env });

    return new ApiProcess(child, `http://127.0.0.1:${port}`);
  }

  private async waitHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`the server exited (${this.child.exitCode}):\n${this.output.slice(-3000)}`);
      }
      const ok = await fetch(`${this.url}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the server did not become healthy:\n${this.output.slice(-3000)}`);
  }

  /** Resolves with the exit code (null when killed by a signal). */
  waitForExit(): Promise<number | null> {
    return this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await this.exited;
    }
  }
}

function spawnEntry(name: 'main' | 'worker', env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [entryPoint(name)], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The real push worker process (`npm run worker`), ready once it says it takes jobs. */
export class WorkerProcess {
  output = '';
  private readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(env: Record<string, string>, timeoutMs = 60_000): Promise<WorkerProcess> {
    const worker = new WorkerProcess(spawnEntry('worker', env));
    const deadline = Date.now() + timeoutMs;
    while (!worker.output.includes('push worker is taking jobs')) {
      if (worker.child.exitCode !== null || Date.now() > deadline) {
        await worker.stop();
        throw new Error(`the worker did not start:\n${worker.output.slice(-3000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    return worker;
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');

    return this.exited;
  }
}
