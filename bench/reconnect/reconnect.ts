import * as path from 'node:path';
import type { Benchmark, BenchOptions } from '../harness/benchmark';
import { Child, now, pinSelf, type ServerSample } from '../harness/child';
import { interleave, type Variant } from '../harness/rounds';
import { report } from '../harness/result';
import { alertBody, post } from '../fanout/post-alert';
import { median, medianRatio, round2, type Percentiles } from '../harness/stats';

/**
 * Reconnect storm: N clients with the PWA's socket settings, then either the server killed
 * (SIGKILL) and started again on the same port, or half the sockets cut, while two alerts go
 * out. Tocsin (POST /api/alerts, catch-up on connect) against bare Socket.IO (a room emit,
 * no catch-up) with the same clients. Servers on core 0, clients and this process on core 1.
 */
type Storm = 'restart' | 'cut';

interface Outcome {
  clients: number;
  affected: number;
  reconnected: number;
  t99Ms: number | null;
  reconnect: Percentiles;
  /** From the successful attempt to `connect`: the server's share of the reconnection. */
  handshake: Percentiles;
  attempts: Percentiles;
  missing: number;
  duplicates: number;
  clientsWithDuplicates: number;
  cutWithDuplicates: number;
  refetches: { ok: number; failed: number };
  trouble: Record<string, number>;
}
interface Measured extends Outcome {
  /** From the kill until the server answered again (restart only). */
  downMs: number;
  /** Server CPU time over the storm (including the two alerts and the wait's idle end). */
  serverCpuMs: number;
}

const script = (name: string) => path.join(__dirname, `../fanout/${name}.js`);
const WAIT_MS = 60_000;
/** BENCH_STORMS=cut (or restart) runs one storm only, for profiling. */
const STORMS = (process.env.BENCH_STORMS ?? 'cut,restart').split(',') as Storm[];
/** BENCH_REFETCH=0: reconnecting clients do not fetch the alert list (to see its share). */
const REFETCH = process.env.BENCH_REFETCH !== '0';

/** One server under test, restartable on its port, and the pool of clients connected to it. */
abstract class Side {
  server!: Child;
  port = 0;

  constructor(readonly pool: Child) {}

  /** Starts (or restarts) the server; returns its URL. */
  abstract boot(): Promise<string>;
  /** Sends one alert to every client; returns its id. */
  abstract alert(): Promise<string>;

  async storm(kind: Storm): Promise<Measured> {
    await this.pool.call('arm');
    if (kind === 'cut') {
      const before = await this.server.call<ServerSample>('cpu');
      const t0 = await this.pool.call<number>('cut');
      const ids = [await this.alert(), await this.alert()];
      const outcome = await this.wait(t0, ids);
      const after = await this.server.call<ServerSample>('cpu');

      return { ...outcome, downMs: 0, serverCpuMs: after.cpuMs - before.cpuMs };
    }
    // The first alert is committed (Tocsin) or emitted (bare) just before the kill, so part
    // of its delivery and its acknowledgements are lost with the process.
    const first = await this.alert();
    await this.pool.call('cutAll');
    const t0 = now();
    await this.server.kill();
    await this.boot();
    const downMs = now() - t0;
    const second = await this.alert();

    const outcome = await this.wait(t0, [first, second]);
    const after = await this.server.call<ServerSample>('cpu');

    // The restarted process's CPU time: start-up, reconnections, catch-up, the second alert.
    return { ...outcome, downMs, serverCpuMs: after.cpuMs };
  }

  private wait(t0: number, alertIds: string[]) {
    return this.pool.call<Outcome>('wait', { t0, alertIds, timeoutMs: WAIT_MS }, WAIT_MS * 2);
  }

  async stop(): Promise<void> {
    await this.pool.call('close').catch(() => undefined);
    await this.pool.stop();
    await this.server.stop();
  }
}

class TocsinSide extends Side {
  private seeded?: { url: string; databaseUrl: string; dispatcherToken: string; group: string };

  async seed(n: number): Promise<string[]> {
    this.server = Child.start(script('tocsin-server'), { core: 0 });
    const seed = await this.server.call<{
      url: string;
      databaseUrl?: string;
      dispatcherToken: string;
      tokens: string[];
      groups: Record<number, string>;
    }>('seed', { sizes: [n] });
    if (!seed.databaseUrl) throw new Error('reconnect needs DATABASE_URL (a shared database)');
    this.seeded = { ...seed, databaseUrl: seed.databaseUrl, group: seed.groups[n] };
    this.port = Number(new URL(seed.url).port);

    return seed.tokens;
  }

  async boot(): Promise<string> {
    this.server = Child.start(script('tocsin-server'), { core: 0 });
    const { url } = await this.server.call<{ url: string }>('join', {
      databaseUrl: this.seeded?.databaseUrl,
      owner: true,
      env: { PORT: String(this.port) },
    });

    return url;
  }

  alert(): Promise<string> {
    const seed = this.seeded!;

    return post(seed.url, seed.dispatcherToken, alertBody(seed.group, undefined));
  }

  override async stop(): Promise<void> {
    await this.pool.call('close').catch(() => undefined);
    await this.pool.stop();
    await this.server.call('stop', {}, 60_000).catch(() => undefined);
    await this.server.stop();
  }
}

class BareSide extends Side {
  private sent = 0;

  async boot(): Promise<string> {
    this.server = Child.start(script('socketio-server'), { core: 0 });
    const { url } = await this.server.call<{ url: string }>('listen', { port: this.port });
    this.port = Number(new URL(url).port);

    return url;
  }

  async alert(): Promise<string> {
    const id = `bare-${(this.sent += 1)}`;
    const payload = { ...alertBody('all', undefined), id };
    await this.server.call('send', { event: 'alert.created', payload, times: 1 });

    return id;
  }
}

function line(kind: Storm, n: number, results: Record<string, Measured[]>, ratio: number) {
  const t99 = (name: string) => median(results[name].map((r) => r.t99Ms ?? Infinity));
  const sum = (name: string, key: 'missing' | 'duplicates') =>
    results[name].reduce((total, r) => total + r[key], 0);
  const affected = results.tocsin[0]?.affected ?? 0;
  const down =
    kind === 'restart'
      ? ` (down ${median(results.tocsin.map((r) => r.downMs)).toFixed(0)} ms vs ` +
        `${median(results['socket.io'].map((r) => r.downMs)).toFixed(0)} ms)`
      : '';

  return (
    `N=${n} ${kind} (${affected} cut): 99% reconnected tocsin ${t99('tocsin').toFixed(0)} ms, ` +
    `socket.io ${t99('socket.io').toFixed(0)} ms${down}; alerts missing/repeated on the wire: tocsin ` +
    `${sum('tocsin', 'missing')}/${sum('tocsin', 'duplicates')}, socket.io ` +
    `${sum('socket.io', 'missing')}/${sum('socket.io', 'duplicates')}; ` +
    `tocsin/socket.io ${ratio.toFixed(2)}`
  );
}

async function run(options: BenchOptions): Promise<void> {
  const n = options.quick ? 1000 : 10_000;
  const rounds = options.quick ? 1 : 3;
  const pinned = pinSelf(1);
  const tocsin = new TocsinSide(Child.start(script('../reconnect/storm-pool'), { core: 1 }));
  const bare = new BareSide(Child.start(script('../reconnect/storm-pool'), { core: 1 }));
  const lines: string[] = [];
  const configs: object[] = [];
  let headline = { ratio: Number.NaN, line: '' };
  try {
    const tokens = await tocsin.seed(n);
    const bareUrl = await bare.boot();
    const connectTimeout = 600_000;
    await tocsin.pool.call(
      'connect',
      { url: `http://127.0.0.1:${tocsin.port}`, n, tokens, refetch: REFETCH },
      connectTimeout,
    );
    await bare.pool.call('connect', { url: bareUrl, n, refetch: false }, connectTimeout);

    for (const kind of STORMS) {
      const variants: Variant<Measured>[] = [
        { name: 'tocsin', run: () => tocsin.storm(kind) },
        { name: 'socket.io', run: () => bare.storm(kind) },
      ];
      const results = await interleave(variants, { rounds, budgetMs: 300_000 });
      const t99 = (name: string) => results[name].map((r) => r.t99Ms ?? Infinity);
      const ratio = medianRatio(t99('tocsin'), t99('socket.io'));
      const summary = line(kind, n, results, ratio);
      console.log(`  ${summary}`);
      lines.push(summary);
      configs.push({ n, kind, ratio, results });
      if (kind === 'restart' || !headline.line) headline = { ratio, line: summary };
    }
  } finally {
    await tocsin.stop();
    await bare.stop();
  }
  report('reconnect', `${headline.line} (time until 99% reconnected)`, round2(headline.ratio), {
    pinned,
    rounds,
    n,
    lines,
    configs,
  });
}

export const reconnect: Benchmark = {
  name: 'reconnect',
  description: 'server restarted or half the sockets cut while two alerts go out, vs Socket.IO',
  run,
};
