import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';

type Handler = (args: any) => unknown;

export interface ServerSample {
  cpuMs: number;
  rssMb: number;
}
interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

let tasksetChecked: boolean | undefined;

/** Whether `taskset` can pin processes here (two cores at least, and the tool installed). */
export function canPin(): boolean {
  if (tasksetChecked === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      tasksetChecked = os.cpus().length >= 2;
    } catch {
      tasksetChecked = false;
    }
  }

  return tasksetChecked;
}

/** Pins this process (the load generator) to a core, when possible. */
export function pinSelf(core: number): boolean {
  if (!canPin()) return false;
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], {
    stdio: 'ignore',
  });

  return true;
}

/**
 * A Node.js child process driven by request/reply messages over IPC. Servers under test run
 * this way, on their own core when `taskset` allows, so their CPU time is theirs alone.
 */
export class Child {
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void }
  >();
  private readonly exited: Promise<void>;

  private constructor(readonly process: ChildProcess) {
    process.on('message', (reply: Reply) => {
      const pending = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.ok) pending?.resolve(reply.value);
      else pending?.reject(new Error(reply.error));
    });
    this.exited = new Promise((resolve) => process.once('exit', () => resolve()));
    void this.exited.then(() => {
      for (const pending of this.waiting.values()) pending.reject(new Error('child exited'));
    });
  }

  /**
   * Starts `script`; with BENCH_CPU_PROF naming its file (`tocsin-server`), under
   * `node --cpu-prof` writing to bench/results/profiles.
   */
  static start(script: string, options: { core?: number; env?: Record<string, string> } = {}) {
    const pin = options.core !== undefined && canPin();
    const profile =
      process.env.BENCH_CPU_PROF && script.endsWith(`${process.env.BENCH_CPU_PROF}.js`);
    const execArgv = profile
      ? [...process.execArgv, '--cpu-prof', '--cpu-prof-dir=bench/results/profiles']
      : process.execArgv;
    const command = pin ? 'taskset' : process.execPath;
    const args = pin
      ? ['-c', String(options.core), process.execPath, ...execArgv, script]
      : [...execArgv, script];
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });

    return new Child(child);
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  call<T>(command: string, args: unknown = {}, timeoutMs = 600_000): Promise<T> {
    const id = (this.nextId += 1);

    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${command} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.process.send({ id, command, args });
    });
  }

  /** Kills the process as a power cut would (SIGKILL: no shutdown hook runs). */
  async kill(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGKILL');
      await this.exited;
    }
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}

/**
 * The child's side: answers requests with its handlers. `cpu` (this process's own CPU time
 * and memory) is always there.
 */
export function serve(handlers: Record<string, Handler>): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const all: Record<string, Handler> = {
    cpu: (): ServerSample => {
      const cpu = process.cpuUsage();

      return { cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 1048576 };
    },
    // Event-loop delay p99 since the previous call, in milliseconds.
    loopDelay: () => {
      const p99 = delay.percentile(99) / 1e6;
      delay.reset();

      return p99;
    },
    ...handlers,
  };
  process.on('message', (message: { id: number; command: string; args: unknown }) => {
    const handler = all[message.command];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${message.command}`);

        return handler(message.args);
      })
      .then(
        (value) => process.send?.({ id: message.id, ok: true, value }),
        (error: unknown) => process.send?.({ id: message.id, ok: false, error: String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  // A clean exit, so that --cpu-prof writes its profile.
  process.on('SIGTERM', () => process.exit(0));
}

/** Wall-clock milliseconds comparable between processes on this machine. */
export const now = () => performance.timeOrigin + performance.now();
