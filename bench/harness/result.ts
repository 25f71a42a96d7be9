import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../../..');

/** The machine the figures were measured on, stored with every result. */
export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';

  return {
    cores: os.cpus().length,
    model,
    node: process.version,
    memoryGb: os.totalmem() / 2 ** 30,
  };
}

/**
 * Writes bench/results/<name>-<timestamp>.json and prints the one summary line, which always
 * ends in the ratio.
 */
export function report(name: string, summary: string, ratio: number, data: object): string {
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ name, machine: machine(), ratio, summary, ...data }, null, 2),
  );
  console.log(`${name}: ${summary}; ratio ${ratio.toFixed(2)}`);

  return file;
}
