import * as path from 'node:path';
import type { Benchmark, BenchOptions } from '../harness/benchmark';
import { settle } from '../harness/benchmark';
import { Child, pinSelf, type ServerSample } from '../harness/child';
import { interleave, type Variant } from '../harness/rounds';
import { report } from '../harness/result';
import { median, medianRatio, round2 } from '../harness/stats';
import type { LoadResult } from './chat-pool';
import type { ChatSeed } from './chat-server';

/**
 * Chat: members of rooms of 25 and of 500 sending `message.send` over Socket.IO at a fixed
 * rate to the real Tocsin server (authenticated users, group conversations, each message
 * stored with its seq and version and fanned out through the outbox), against stock
 * Socket.IO answering the acknowledgement at once (the ack baseline) and doing one room
 * broadcast without persistence (the sender-to-members baseline). The broadcast baseline's
 * acknowledgement is shown too: the ack baseline carries no deliveries, and the server's and
 * the clients' event loops busy with deliveries delay an ack as well. Servers on core 0; the
 * client pools and this process on core 1.
 */
const SMALL = 25;
const LARGE = 500;
const BODY_LENGTH = 120;

interface Measured extends LoadResult {
  cpuPerMessageUs: number;
  loopDelayP99Ms: number;
  rssMb: number;
}

const script = (name: string) => path.join(__dirname, `${name}.js`);

class Side {
  constructor(
    readonly server: Child,
    readonly pool: Child,
  ) {}

  async measure(load: {
    rate: number;
    durationMs: number;
    tag: string;
    seed: number;
    deliveries: boolean;
  }): Promise<Measured> {
    await this.server.call('loopDelay');
    const before = await this.server.call<ServerSample>('cpu');
    const result = await this.pool.call<LoadResult>('run', {
      ...load,
      drainMs: 15_000,
      bodyLength: BODY_LENGTH,
      largeRoomSize: LARGE,
    });
    const cpuMs = await settle(() => this.server.call<ServerSample>('cpu'));
    const after = await this.server.call<ServerSample>('cpu');

    return {
      ...result,
      cpuPerMessageUs: ((cpuMs - before.cpuMs) * 1000) / Math.max(1, result.acked),
      loopDelayP99Ms: await this.server.call<number>('loopDelay'),
      rssMb: after.rssMb,
    };
  }
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** `--rate=1000` (or `--rate=200,1000`) replaces the profile's offered rates, in msg/s. */
function ratesFromArgs(): number[] | undefined {
  const arg = process.argv.find((value) => value.startsWith('--rate='));
  if (!arg) return undefined;
  const rates = arg.slice('--rate='.length).split(',').map(Number);
  if (rates.some((rate) => !Number.isInteger(rate) || rate < 1 || rate > 10_000)) {
    throw new Error(`--rate takes whole numbers of messages a second: ${arg}`);
  }

  return rates;
}

async function run(options: BenchOptions): Promise<void> {
  const profile = options.quick
    ? { small: 20, large: 1, rates: [200], rounds: 1, durationMs: 4000 }
    : { small: 200, large: 5, rates: [200, 1000, 2000], rounds: 3, durationMs: 10_000 };
  profile.rates = ratesFromArgs() ?? profile.rates;
  const sizes = [
    ...Array.from({ length: profile.small }, () => SMALL),
    ...Array.from({ length: profile.large }, () => LARGE),
  ];
  const pinned = pinSelf(1);
  const start = (name: string, core: number) => Child.start(script(name), { core });
  const tocsin = new Side(start('chat-server', 0), start('chat-pool', 1));
  const bare = new Side(start('bare-server', 0), start('chat-pool', 1));
  const lines: string[] = [];
  const configs: object[] = [];
  let headline = { ratio: Number.NaN, line: '' };
  try {
    const seed = await tocsin.server.call<ChatSeed>('seed', { sizes });
    const bareUrl = (await bare.server.call<{ url: string }>('listen')).url;
    await tocsin.pool.call('connect', { url: seed.url, tokens: seed.tokens });
    // The bare server takes each client's room in place of a token.
    const roomOf = new Array<string>(seed.tokens.length);
    for (const room of seed.rooms) for (const member of room.members) roomOf[member] = room.id;
    await bare.pool.call('connect', { url: bareUrl, tokens: roomOf });
    await tocsin.pool.call('rooms', { rooms: seed.rooms });
    await bare.pool.call('rooms', { rooms: seed.rooms });

    for (const rate of profile.rates) {
      // The warm-up round is shorter; it is discarded.
      const load = (round: number, name: string, deliveries: boolean) => ({
        rate,
        durationMs: round < 0 ? 1000 : profile.durationMs,
        tag: `${name}-${rate}-${round}`,
        seed: 1000 * rate + round + 1,
        deliveries,
      });
      const variants: Variant<Measured>[] = [
        {
          name: 'tocsin',
          run: async (round) => {
            const profiling = process.env.BENCH_CPU_PROF === 'chat-load' && round >= 0;
            if (profiling) await tocsin.server.call('profileStart');
            const measured = await tocsin.measure(load(round, 'tocsin', true));
            if (profiling) {
              const name = `chat-load-${rate}-${round}-${Date.now()}`;
              console.log(`  profile: ${await tocsin.server.call('profileStop', { name })}`);
            }

            return measured;
          },
        },
        {
          name: 'ack',
          run: async (round) => {
            await bare.server.call('mode', { mode: 'ack' });

            return bare.measure(load(round, 'ack', false));
          },
        },
        {
          name: 'broadcast',
          run: async (round) => {
            await bare.server.call('mode', { mode: 'broadcast' });

            return bare.measure(load(round, 'broadcast', true));
          },
        },
      ];
      const results = await interleave(variants, { rounds: profile.rounds, budgetMs: 300_000 });
      const of = (name: string, pick: (m: Measured) => number) => results[name].map(pick);
      const mid = (name: string, pick: (m: Measured) => number) => median(of(name, pick));
      const ackRatio = medianRatio(
        of('tocsin', (m) => m.ack.p99),
        of('ack', (m) => m.ack.p99),
      );
      const membersRatio = medianRatio(
        of('tocsin', (m) => m.members.p99),
        of('broadcast', (m) => m.members.p99),
      );
      const problems = Object.values(results)
        .flat()
        .reduce((sum, m) => sum + m.incomplete + m.refused + m.duplicates, 0);
      const line =
        `${rate} msg/s, ${profile.small}×${SMALL} + ${profile.large}×${LARGE} members: ` +
        `ack p50/p99 tocsin ${fixed(
          mid('tocsin', (m) => m.ack.p50),
          2,
        )}/` +
        `${fixed(
          mid('tocsin', (m) => m.ack.p99),
          2,
        )} ms, bare ` +
        `${fixed(
          mid('ack', (m) => m.ack.p50),
          2,
        )}/${fixed(
          mid('ack', (m) => m.ack.p99),
          2,
        )} ms ` +
        `(×${fixed(ackRatio, 2)}), bare while broadcasting ${fixed(
          mid('broadcast', (m) => m.ack.p50),
          2,
        )}/${fixed(
          mid('broadcast', (m) => m.ack.p99),
          2,
        )} ms; sender-to-members p50/p99 tocsin ` +
        `${fixed(
          mid('tocsin', (m) => m.members.p50),
          2,
        )}/` +
        `${fixed(
          mid('tocsin', (m) => m.members.p99),
          2,
        )} ms (rooms of ${LARGE}: p99 ` +
        `${fixed(
          mid('tocsin', (m) => m.membersLarge.p99),
          2,
        )}), broadcast ` +
        `${fixed(
          mid('broadcast', (m) => m.members.p50),
          2,
        )}/` +
        `${fixed(
          mid('broadcast', (m) => m.members.p99),
          2,
        )} ms; throughput tocsin ` +
        `${fixed(
          mid('tocsin', (m) => m.messagesPerSecond),
          0,
        )} msg/s ` +
        `(${fixed(
          mid('tocsin', (m) => m.deliveriesPerSecond),
          0,
        )} deliveries/s), server CPU ` +
        `${fixed(
          mid('tocsin', (m) => m.cpuPerMessageUs),
          0,
        )} µs/msg (bare broadcast ` +
        `${fixed(
          mid('broadcast', (m) => m.cpuPerMessageUs),
          0,
        )}); ` +
        `${problems === 0 ? 'every message acked and delivered once' : `${problems} problems`}` +
        `; members p99 tocsin/broadcast ${fixed(membersRatio, 2)}`;
      console.log(`  ${line}`);
      lines.push(line);
      configs.push({ rate, ackRatio, membersRatio, results });
      if (headline.line === '' || rate === 1000) headline = { ratio: membersRatio, line };
    }
  } finally {
    await Promise.allSettled([tocsin.server.call('stop', {}, 60_000)]);
    for (const side of [tocsin, bare]) {
      await side.pool.stop();
      await side.server.stop();
    }
  }
  report('chat', `${headline.line} (sender-to-members p99, tocsin/bare)`, round2(headline.ratio), {
    pinned,
    rounds: profile.rounds,
    durationMs: profile.durationMs,
    rooms: { small: profile.small, smallSize: SMALL, large: profile.large, largeSize: LARGE },
    lines,
    configs,
  });
}

export const chat: Benchmark = {
  name: 'chat',
  description: 'message.send to rooms of 25 and 500 vs bare Socket.IO ack and room broadcast',
  run,
};
