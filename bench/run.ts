import type { Benchmark } from './harness/benchmark';
import { capImport } from './cap-import/cap-import';
import { chat } from './chat/chat';
import { fanout } from './fanout/fanout';
import { geofence } from './geofence/geofence';
import { push } from './push/push';
import { reconnect } from './reconnect/reconnect';
import { scaleout } from './scaleout/scaleout';
import { viewport } from './viewport/viewport';

/**
 * `npm run bench -- <name> [--quick]`: runs one benchmark (or `all`), each against baselines
 * measured in the same run. Without a name, lists them.
 */
const benchmarks: Benchmark[] = [
  fanout,
  geofence,
  viewport,
  push,
  chat,
  capImport,
  reconnect,
  scaleout,
];

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const name = args.find((arg) => !arg.startsWith('--'));
  if (!name) {
    console.log('usage: npm run bench -- <name>|all [--quick]\n');
    for (const b of benchmarks) console.log(`  ${b.name.padEnd(12)} ${b.description}`);

    return 0;
  }
  const selected = name === 'all' ? benchmarks : benchmarks.filter((b) => b.name === name);
  if (selected.length === 0) {
    console.error(`no benchmark named ${name}`);

    return 2;
  }
  let failed = 0;
  for (const benchmark of selected) {
    const started = Date.now();
    try {
      await benchmark.run({ quick });
    } catch (error) {
      failed += 1;
      console.error(`${benchmark.name}: failed:`, error);
    }
    console.log(`  (${benchmark.name} took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }

  return failed === 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
