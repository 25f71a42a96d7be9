import * as path from 'node:path';
import type { Benchmark, BenchOptions } from '../harness/benchmark';
import { settle, sizesFromEnv } from '../harness/benchmark';
import { Child, now, pinSelf, type ServerSample } from '../harness/child';
import { seeded, text } from '../harness/random';
import { interleave, type Variant } from '../harness/rounds';
import { report } from '../harness/result';
import { alertBody, post } from './post-alert';
import { median, medianRatio, round2, type Percentiles } from '../harness/stats';

/**
 * Alert fan-out: an authenticated POST /api/alerts reaching N open Socket.IO clients, against
 * the floor (one pre-framed message written to N raw WebSockets) and a stock Socket.IO room
 * emit of the same bytes. Servers run on core 0, clients and this process on core 1.
 */
const MATCH = '["alert.created"';

interface Delivered {
  clients: number;
  missing: number;
  duplicates: number;
  firstMs: number;
  lastMs: number;
  latency: Percentiles;
  sample?: string;
}
interface Measured {
  cpuPerDeliveryUs: number;
  lastMs: number;
  p99Ms: number;
  missing: number;
  duplicates: number;
  loopDelayP99Ms: number;
  rssMb: number;
}

const script = (name: string) => path.join(__dirname, `${name}.js`);

/** One server under test and the pool of clients connected to it. */
class Side {
  constructor(
    readonly server: Child,
    readonly pool: Child,
  ) {}

  async measure(n: number, times: number, distinct: boolean, trigger: () => Promise<unknown>) {
    await this.pool.call('arm', { match: MATCH });
    await this.server.call('loopDelay');
    const before = await this.server.call<ServerSample>('cpu');
    const t0 = now();
    await trigger();
    const delivered = await this.pool.call<Delivered>('wait', {
      perClient: times,
      match: MATCH,
      distinct,
      timeoutMs: 20_000,
      t0,
    });
    const cpuMs = await settle(() => this.server.call<ServerSample>('cpu'));
    const after = await this.server.call<ServerSample>('cpu');

    return {
      measured: {
        cpuPerDeliveryUs: ((cpuMs - before.cpuMs) * 1000) / (n * times),
        lastMs: delivered.lastMs,
        p99Ms: delivered.latency.p99,
        missing: delivered.missing * times,
        duplicates: delivered.duplicates,
        loopDelayP99Ms: await this.server.call<number>('loopDelay'),
        rssMb: after.rssMb,
      } satisfies Measured,
      sample: delivered.sample,
    };
  }
}

async function run(options: BenchOptions): Promise<void> {
  // FANOUT_SIZES=5000,10000 runs only these audiences (one round each with --quick).
  const sizes =
    sizesFromEnv('FANOUT_SIZES', 1, 20_000) ?? (options.quick ? [1000] : [1000, 5000, 10_000]);
  const rounds = options.quick ? 1 : 5;
  const pinned = pinSelf(1);
  const start = (name: string, core: number) => Child.start(script(name), { core });
  const tocsin = new Side(start('tocsin-server', 0), start('client-pool', 1));
  const floor = new Side(start('floor-server', 0), start('client-pool', 1));
  const bare = new Side(start('socketio-server', 0), start('client-pool', 1));
  const configs: object[] = [];
  const lines: string[] = [];
  let headline = { ratio: Number.NaN, line: '' };
  try {
    const seed = await tocsin.server.call<{
      url: string;
      dispatcherToken: string;
      tokens: string[];
      groups: Record<number, string>;
    }>('seed', { sizes });
    const floorUrl = (await floor.server.call<{ url: string }>('listen')).url;
    const bareUrl = (await bare.server.call<{ url: string }>('listen')).url;
    let connected = 0;
    for (const n of sizes) {
      const add = n - connected;
      await tocsin.pool.call('connect', {
        url: seed.url,
        mode: 'socket.io',
        n: add,
        tokens: seed.tokens.slice(connected, n),
      });
      await floor.pool.call('connect', { url: floorUrl, mode: 'raw', n: add });
      await bare.pool.call('connect', { url: bareUrl, mode: 'socket.io', n: add });
      connected = n;

      for (const size of ['256 B', '2 KB']) {
        // The description is padded so that the event Tocsin sends is about 2 KB.
        const pad = size === '2 KB' ? text(seeded(n), 1700) : undefined;
        const body = alertBody(seed.groups[n], pad);
        const probe = await tocsin.measure(n, 1, true, () =>
          post(seed.url, seed.dispatcherToken, body),
        );
        const bytes = probe.sample ?? '';
        const event = JSON.parse(bytes) as [string, unknown];
        for (const times of [1, 10]) {
          const variants: Variant<Measured>[] = [
            {
              name: 'tocsin',
              run: async () =>
                (
                  await tocsin.measure(n, times, true, () =>
                    Promise.all(
                      Array.from({ length: times }, () =>
                        post(seed.url, seed.dispatcherToken, body),
                      ),
                    ),
                  )
                ).measured,
            },
            {
              name: 'floor',
              run: async () =>
                (
                  await floor.measure(n, times, false, () =>
                    floor.server.call('send', { text: `42${bytes}`, times }),
                  )
                ).measured,
            },
            {
              name: 'socket.io',
              run: async () =>
                (
                  await bare.measure(n, times, false, () =>
                    bare.server.call('send', { event: event[0], payload: event[1], times }),
                  )
                ).measured,
            },
            {
              name: 'socket.io+acks',
              run: async () =>
                (
                  await bare.measure(n, times, false, () =>
                    bare.server.call('sendWithAcks', { event: event[0], payload: event[1], times }),
                  )
                ).measured,
            },
          ];
          const results = await interleave(variants, { rounds, budgetMs: 120_000 });
          const cpu = (name: string) => results[name].map((r) => r.cpuPerDeliveryUs);
          const ratio = medianRatio(cpu('tocsin'), cpu('floor'));
          const stockRatio = medianRatio(cpu('socket.io'), cpu('floor'));
          const lastMs = median(results.tocsin.map((r) => r.lastMs));
          const missing = Object.values(results)
            .flat()
            .reduce((sum, r) => sum + r.missing + r.duplicates, 0);
          const us = (side: string) => `${median(cpu(side)).toFixed(1)} µs`;
          const delivered =
            missing === 0 ? 'every socket got each alert once' : `${missing} missing/duplicate`;
          const line =
            `N=${n} ${bytes.length} B ×${times}: CPU/delivery tocsin ${us('tocsin')}, ` +
            `socket.io ${us('socket.io')} (with acks ${us('socket.io+acks')}), ` +
            `floor ${us('floor')}; last recipient ${lastMs.toFixed(0)} ms` +
            ` (floor ${median(results.floor.map((r) => r.lastMs)).toFixed(0)} ms); ${delivered}` +
            `; socket.io/floor ${stockRatio.toFixed(2)}; tocsin/floor ${ratio.toFixed(2)}`;
          console.log(`  ${line}`);
          lines.push(line);
          configs.push({ n, bytes: bytes.length, label: size, times, ratio, stockRatio, results });
          if (times === 1 && size === '2 KB') headline = { ratio, line };
        }
      }
    }
  } finally {
    await Promise.allSettled([tocsin.server.call('stop', {}, 60_000)]);
    for (const side of [tocsin, floor, bare]) {
      await side.pool.stop();
      await side.server.stop();
    }
  }
  report(
    'fanout',
    `${headline.line} (server CPU per delivery, tocsin/floor)`,
    round2(headline.ratio),
    {
      pinned,
      rounds,
      sizes,
      lines,
      configs,
    },
  );
}

export const fanout: Benchmark = {
  name: 'fanout',
  description: 'POST /api/alerts to N sockets vs pre-framed raw writes and a Socket.IO room emit',
  run,
};
