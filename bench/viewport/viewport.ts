import * as http from 'node:http';
import * as path from 'node:path';
import type { Benchmark, BenchOptions } from '../harness/benchmark';
import { Child, pinSelf, type ServerSample } from '../harness/child';
import { between, seeded } from '../harness/random';
import { interleave } from '../harness/rounds';
import { report } from '../harness/result';
import { median, medianRatio, percentiles, round2, type Percentiles } from '../harness/stats';

/**
 * Map viewport: GET /api/alerts?bbox=…&status=active over many incidents, against a bare
 * node:http handler running the same SQL on the same pool in the same server process.
 */
const CONCURRENCY = 8;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(url: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
  });
}

/** City-sized boxes (about 25 × 20 km) at seeded places over the incidents' extent. */
function boxes(count: number): string[] {
  const random = seeded(7);

  return Array.from({ length: count }, () => {
    const west = between(random, -4.5, 7.7);
    const south = between(random, 42.5, 50.8);

    return [west, south, west + 0.3, south + 0.2].map((v) => v.toFixed(4)).join(',');
  });
}

interface Measured {
  latency: Percentiles;
  perSecond: number;
  bytes: number;
  cpuPerRequestMs: number;
}

async function load(server: Child, urls: string[], token?: string): Promise<Measured> {
  const before = await server.call<ServerSample>('cpu');
  const latencies: number[] = [];
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < urls.length) {
        const url = urls[next++];
        const t = performance.now();
        // Not `bytes += await …`: that reads `bytes` before the await, losing the others' sums.
        const received = await get(url, token);
        latencies.push(performance.now() - t);
        bytes += received;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = await server.call<ServerSample>('cpu');

  return {
    latency: percentiles(latencies),
    perSecond: urls.length / seconds,
    bytes: bytes / urls.length,
    cpuPerRequestMs: (after.cpuMs - before.cpuMs) / urls.length,
  };
}

async function run(options: BenchOptions): Promise<void> {
  const incidents = options.quick ? 10_000 : 1_000_000;
  const requests = options.quick ? 1000 : 2000;
  const rounds = options.quick ? 1 : 5;
  const pinned = pinSelf(1);
  const server = Child.start(path.join(__dirname, 'viewport-server.js'), { core: 0 });
  try {
    const seed = await server.call<{ url: string; bareUrl: string; token: string }>('seed', {
      incidents,
    });
    const views = boxes(requests);
    const results = await interleave(
      [
        {
          name: 'tocsin',
          run: () =>
            load(
              server,
              views.map((b) => `${seed.url}/api/alerts?bbox=${b}&status=active`),
              seed.token,
            ),
        },
        {
          name: 'bare',
          run: () =>
            load(
              server,
              views.map((b) => `${seed.bareUrl}/?bbox=${b}`),
            ),
        },
      ],
      { rounds, budgetMs: 180_000 },
    );
    const p99 = (name: string) => results[name].map((r) => r.latency.p99);
    const rate = (name: string) => results[name].map((r) => r.perSecond);
    const p99Ratio = medianRatio(p99('tocsin'), p99('bare'));
    const rateRatio = medianRatio(rate('tocsin'), rate('bare'));
    const bytes = (name: string) => median(results[name].map((r) => r.bytes)).toFixed(0);
    const cpu = (name: string) =>
      median(results[name].map((r) => r.cpuPerRequestMs * 1000)).toFixed(0);
    report(
      'viewport',
      `${incidents} incidents, ${requests} boxes × ${rounds} rounds, ${CONCURRENCY} in flight: ` +
        `p99 tocsin ${median(p99('tocsin')).toFixed(1)} ms, bare ${median(p99('bare')).toFixed(1)} ms` +
        ` (${p99Ratio.toFixed(2)}×); throughput tocsin ${median(rate('tocsin')).toFixed(0)}/s, ` +
        `bare ${median(rate('bare')).toFixed(0)}/s (${rateRatio.toFixed(2)}×); ` +
        `${bytes('tocsin')} vs ${bytes('bare')} B per response; server CPU ${cpu('tocsin')} vs ` +
        `${cpu('bare')} µs per request (p99 tocsin/bare)`,
      round2(p99Ratio),
      {
        pinned,
        incidents,
        requests,
        rounds,
        concurrency: CONCURRENCY,
        p99Ratio,
        rateRatio,
        results,
      },
    );
  } finally {
    await server.call('stop', {}, 60_000).catch(() => undefined);
    await server.stop();
  }
}

export const viewport: Benchmark = {
  name: 'viewport',
  description: 'GET /api/alerts?bbox=&status=active vs a bare node:http handler, same SQL and pool',
  run,
};
