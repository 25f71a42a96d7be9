import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Benchmark, BenchOptions } from '../harness/benchmark';
import { report } from '../harness/result';
import { medianRatio, median, round2 } from '../harness/stats';

interface Side {
  seconds: number;
  sendsPerSecond: number;
  cpuUsPerPush: number;
  workerCpuUsPerPush: number;
  farmBusy: number;
  loopDelayP99Ms: number;
  ackP50Ms: number;
  ackP99Ms: number;
}

/**
 * Runs push-throughput (floor, bare web-push and Tocsin interleaved over four local push
 * services) in a child that trusts the services' certificate, and reports the median of the
 * per-round throughput ratios Tocsin / bare web-push.
 */
async function run(options: BenchOptions): Promise<void> {
  const pushes = options.quick ? 1000 : 10_000;
  const rounds = options.quick ? 1 : 3;
  const child = spawnSync(process.execPath, [path.join(__dirname, 'push-throughput.js')], {
    env: { ...process.env, BENCH_PUSHES: String(pushes), BENCH_ROUNDS: String(rounds) },
    encoding: 'utf8',
    timeout: 900_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout.split('\n').find((text) => text.startsWith('RESULT '));
  if (child.status !== 0 || !line) {
    throw new Error(`push-throughput failed:\n${child.stdout}\n${child.stderr}`);
  }
  const result = JSON.parse(line.slice('RESULT '.length)) as {
    concurrency: number;
    worker: { mode: 'process' | 'in-process'; core: number };
    results: Record<'quiet' | 'floor' | 'bare' | 'tocsin', Side[]>;
  };
  const { quiet, floor, bare, tocsin } = result.results;
  const rate = (side: Side[]) => median(side.map((s) => s.sendsPerSecond)).toFixed(0);
  const cpu = (side: Side[], split = '') =>
    `${median(side.map((s) => s.cpuUsPerPush)).toFixed(0)} µs CPU/push,${split} services ` +
    `${(median(side.map((s) => s.farmBusy)) * 100).toFixed(0)}% busy`;
  const inWorker = median(tocsin.map((s) => s.workerCpuUsPerPush));
  const split = inWorker > 0 ? ` of which ${inWorker.toFixed(0)} µs in the worker,` : '';
  const handedOver = median(tocsin.map((s) => s.seconds)).toFixed(2);
  const sends = (side: Side[]) => side.map((s) => s.sendsPerSecond);
  const ack = (side: Side[]) =>
    `${median(side.map((s) => s.ackP50Ms)).toFixed(1)}/` +
    `${median(side.map((s) => s.ackP99Ms)).toFixed(1)} ms`;
  const ackP99 = (side: Side[]) => side.map((s) => s.ackP99Ms);
  const worker =
    result.worker.mode === 'process'
      ? `tocsin's push worker (Redis) and the baselines in processes of their own on core ` +
        `${result.worker.core}`
      : `tocsin's push worker in the API process`;

  report(
    'push',
    `${pushes} pushes over 4 origins (2 h2, 2 h1; 2% 410, 2% 429), concurrency ` +
      `${result.concurrency}, ${worker}: tocsin ${rate(tocsin)}/s (handed over in ${handedOver} s, ` +
      `${cpu(tocsin, split)}), bare web-push ${rate(bare)}/s (${cpu(bare)}), floor ` +
      `${rate(floor)}/s (${cpu(floor)}); tocsin/floor ` +
      `${round2(medianRatio(sends(tocsin), sends(floor)))}; socket ack p50/p99 on the ` +
      `API process: quiet ${ack(quiet)}, during the tocsin storm ${ack(tocsin)} (p99 ` +
      `${round2(medianRatio(ackP99(tocsin), ackP99(quiet)))}× quiet), during bare ` +
      `${ack(bare)} (throughput tocsin/bare)`,
    round2(medianRatio(sends(tocsin), sends(bare))),
    { pushes, rounds, ...result },
  );
}

export const push: Benchmark = {
  name: 'push',
  description: 'Web Push fan-out over 4 local services: Tocsin vs bare web-push vs the raw floor',
  run,
};
