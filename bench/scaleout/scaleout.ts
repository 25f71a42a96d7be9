import * as path from 'node:path';
import type { Benchmark, BenchOptions } from '../harness/benchmark';
import { settle } from '../harness/benchmark';
import { Child, now, pinSelf, type ServerSample } from '../harness/child';
import { seeded, text } from '../harness/random';
import { interleave, type Variant } from '../harness/rounds';
import { report } from '../harness/result';
import { median, medianRatio, round2 } from '../harness/stats';
import { alertBody, post } from '../fanout/post-alert';

/**
 * Scale-out tax: the fan-out benchmark (an authenticated POST /api/alerts to N Socket.IO
 * clients) on two API processes sharing PostgreSQL and Redis (the Redis adapter), clients
 * split evenly across them, against one process with the in-memory adapter. CPU per delivery
 * is summed over the API processes (Redis and PostgreSQL are not counted on either side).
 * Servers on core 0, clients and this process on core 1.
 */
const MATCH = '["alert.created"';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Seed {
  url: string;
  databaseUrl?: string;
  dispatcherToken: string;
  tokens: string[];
  groups: Record<number, string>;
}
interface Delivered {
  missing: number;
  duplicates: number;
  lastMs: number;
}
interface Measured {
  cpuPerDeliveryUs: number;
  processCpuMs: number[];
  lastMs: number;
  missing: number;
  duplicates: number;
}

const script = (name: string) => path.join(__dirname, `../fanout/${name}.js`);

/** One deployment (one or two API processes) and the pool of clients connected to it. */
class Deployment {
  readonly pool = Child.start(script('client-pool'), { core: 1 });
  seed!: Seed;
  urls: string[] = [];

  constructor(readonly servers: Child[]) {}

  static async start(processes: 1 | 2, n: number): Promise<Deployment> {
    const servers = Array.from({ length: processes }, () =>
      Child.start(script('tocsin-server'), { core: 0 }),
    );
    const deployment = new Deployment(servers);
    const env: Record<string, string> = processes > 1 ? { REDIS_URL } : {};
    deployment.seed = await servers[0].call<Seed>('seed', { sizes: [n], env });
    deployment.urls = [deployment.seed.url];
    if (processes > 1) {
      if (!deployment.seed.databaseUrl) throw new Error('scaleout needs DATABASE_URL');
      const joined = await servers[1].call<{ url: string }>('join', {
        databaseUrl: deployment.seed.databaseUrl,
        env,
      });
      deployment.urls.push(joined.url);
    }

    return deployment;
  }

  /** Connects N clients, split evenly across the processes. */
  async connect(n: number): Promise<void> {
    const share = Math.ceil(n / this.urls.length);
    for (const [i, url] of this.urls.entries()) {
      const tokens = this.seed.tokens.slice(i * share, Math.min(n, (i + 1) * share));
      await this.pool.call('connect', { url, mode: 'socket.io', n: tokens.length, tokens });
    }
  }

  /** CPU time of every API process, summed, and each one's. */
  async cpu(): Promise<{ cpuMs: number; each: number[] }> {
    const samples = await Promise.all(this.servers.map((s) => s.call<ServerSample>('cpu')));
    const each = samples.map((sample) => sample.cpuMs);

    return { cpuMs: each.reduce((sum, ms) => sum + ms, 0), each };
  }

  /** `times` alerts posted to the first process, delivered to every client. */
  async measure(n: number, times: number, description: string): Promise<Measured> {
    await this.pool.call('arm', { match: MATCH });
    const before = await this.cpu();
    const t0 = now();
    const body = alertBody(this.seed.groups[n], description);
    await Promise.all(
      Array.from({ length: times }, () => post(this.urls[0], this.seed.dispatcherToken, body)),
    );
    const delivered = await this.pool.call<Delivered>('wait', {
      perClient: times,
      match: MATCH,
      distinct: true,
      timeoutMs: 20_000,
      t0,
    });
    const cpuMs = await settle(() => this.cpu());
    const after = await this.cpu();

    return {
      cpuPerDeliveryUs: ((cpuMs - before.cpuMs) * 1000) / (n * times),
      // Where the time went: the process that took the POST, then the other one.
      processCpuMs: after.each.map((ms, i) => ms - before.each[i]),
      lastMs: delivered.lastMs,
      missing: delivered.missing * times,
      duplicates: delivered.duplicates,
    };
  }

  async stop(): Promise<void> {
    await this.pool.call('close').catch(() => undefined);
    await this.pool.stop();
    // The second process first: the first one drops the database they share.
    for (const [i, server] of [...this.servers.entries()].reverse()) {
      await server.call('stop', { drop: i === 0 }, 60_000).catch(() => undefined);
      await server.stop();
    }
  }
}

function line(n: number, times: number, results: Record<string, Measured[]>) {
  const cpu = (name: string) => results[name].map((r) => r.cpuPerDeliveryUs);
  const ratio = medianRatio(cpu('two+redis'), cpu('one'));
  const last = (name: string) => median(results[name].map((r) => r.lastMs)).toFixed(0);
  const wrong = Object.values(results)
    .flat()
    .reduce((sum, r) => sum + r.missing + r.duplicates, 0);

  return {
    ratio,
    text:
      `N=${n} ~2.5 KB ×${times}: CPU/delivery two processes + Redis ` +
      `${median(cpu('two+redis')).toFixed(1)} µs, one process ${median(cpu('one')).toFixed(1)} µs;` +
      ` last recipient ${last('two+redis')} ms vs ${last('one')} ms; ` +
      `${wrong === 0 ? 'every socket got each alert once' : `${wrong} missing/duplicate`}; ` +
      `two/one ${ratio.toFixed(2)}`,
  };
}

async function run(options: BenchOptions): Promise<void> {
  const sizes = options.quick ? [1000] : [1000, 10_000];
  const rounds = options.quick ? 1 : 5;
  const pinned = pinSelf(1);
  const lines: string[] = [];
  const configs: object[] = [];
  let headline = { ratio: Number.NaN, text: '' };
  for (const n of sizes) {
    const one = await Deployment.start(1, n);
    const two = await Deployment.start(2, n);
    try {
      await one.connect(n);
      await two.connect(n);
      // Padded so that the event is about 2.5 KB, as in the fan-out benchmark's headline.
      const description = text(seeded(n), 1700);
      for (const times of [1, 10]) {
        const variants: Variant<Measured>[] = [
          { name: 'one', run: () => one.measure(n, times, description) },
          { name: 'two+redis', run: () => two.measure(n, times, description) },
        ];
        const results = await interleave(variants, { rounds, budgetMs: 120_000 });
        const summary = line(n, times, results);
        console.log(`  ${summary.text}`);
        lines.push(summary.text);
        configs.push({ n, times, ratio: summary.ratio, results });
        if (times === 1) headline = summary;
      }
    } finally {
      await one.stop();
      await two.stop();
    }
  }
  report(
    'scaleout',
    `${headline.text} (API CPU per delivery summed over processes)`,
    round2(headline.ratio),
    { pinned, rounds, sizes, redis: REDIS_URL, lines, configs },
  );
}

export const scaleout: Benchmark = {
  name: 'scaleout',
  description: 'fan-out on two API processes sharing Redis vs one process in memory',
  run,
};
