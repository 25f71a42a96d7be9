import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Benchmark, BenchOptions } from '../harness/benchmark';
import { report } from '../harness/result';
import { median, round2 } from '../harness/stats';

/**
 * Wraps push-throughput (Tocsin's queued, recorded push path against a bare web-push loop to
 * the same local HTTPS push service, run back to back): once per round, median of the ratios.
 */
async function run(options: BenchOptions): Promise<void> {
  const pushes = options.quick ? 1000 : 10_000;
  const rounds = options.quick ? 1 : 3;
  const ratios: number[] = [];
  const outputs: string[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const child = spawnSync(process.execPath, [path.join(__dirname, 'push-throughput.js')], {
      env: { ...process.env, BENCH_PUSHES: String(pushes) },
      encoding: 'utf8',
      timeout: 600_000,
    });
    const ratio = /ratio tocsin\/bare\s*:\s*([\d.]+)/.exec(child.stdout)?.[1];
    if (child.status !== 0 || !ratio) {
      throw new Error(`push-throughput failed:\n${child.stdout}\n${child.stderr}`);
    }
    outputs.push(child.stdout.trim());
    ratios.push(Number(ratio));
  }
  const last = outputs.at(-1) ?? '';
  const figure = (label: string) => new RegExp(`${label}\\s*:\\s*(\\d+)`).exec(last)?.[1];
  report(
    'push',
    `${pushes} pushes: tocsin ${figure('tocsin push path')} sends/s, bare web-push ` +
      `${figure('bare web-push loop')} sends/s (last of ${rounds} runs; throughput tocsin/bare)`,
    round2(median(ratios)),
    { pushes, rounds, ratios, outputs },
  );
}

export const push: Benchmark = {
  name: 'push',
  description: 'Web Push through the queue and worker vs a bare web-push loop (same local service)',
  run,
};
