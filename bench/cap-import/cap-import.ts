import { parseCap } from '@tocsin/cap';
import { XMLParser } from 'fast-xml-parser';
import type { Benchmark, BenchOptions } from '../harness/benchmark';
import { interleave } from '../harness/rounds';
import { report } from '../harness/result';
import { median, medianRatio, percentiles, round2 } from '../harness/stats';
import { generateCapMessage } from './generate';

/**
 * CAP import of a seeded ~1 MB message (24 areas of 2,000-point polygons): parseCap (decode,
 * XML, validation, model) against fast-xml-parser reading the same bytes.
 */
async function run(options: BenchOptions): Promise<void> {
  const bytes = Buffer.from(generateCapMessage(42, 24, 2000));
  const rounds = options.quick ? 1 : 7;
  const reps = options.quick ? 5 : 15;
  const parser = new XMLParser({ ignoreAttributes: false, processEntities: false });
  const first = parseCap(bytes);
  if (!first.ok) throw new Error(`generated message refused: ${JSON.stringify(first.errors[0])}`);
  const samples: Record<string, number[]> = { parseCap: [], 'fast-xml-parser': [] };
  const variant = (name: string, work: () => unknown) => ({
    name,
    run: async () => {
      const started = performance.now();
      for (let i = 0; i < reps; i += 1) {
        const t = performance.now();
        work();
        samples[name].push(performance.now() - t);
      }

      return (performance.now() - started) / reps;
    },
  });
  const results = await interleave(
    [
      variant('parseCap', () => parseCap(bytes)),
      variant('fast-xml-parser', () => parser.parse(bytes)),
    ],
    { rounds, budgetMs: 60_000 },
  );
  const ratio = medianRatio(results.parseCap, results['fast-xml-parser']);
  report(
    'cap-import',
    `${(bytes.length / 1024).toFixed(0)} KiB, 24 areas: parseCap ${median(results.parseCap).toFixed(1)}` +
      ` ms, fast-xml-parser ${median(results['fast-xml-parser']).toFixed(1)} ms per message ` +
      `(parseCap/fast-xml-parser)`,
    round2(ratio),
    {
      bytes: bytes.length,
      rounds,
      reps,
      parseCap: percentiles(samples.parseCap),
      fastXmlParser: percentiles(samples['fast-xml-parser']),
    },
  );
}

export const capImport: Benchmark = {
  name: 'cap-import',
  description: 'parseCap on a seeded 1 MB CAP message vs fast-xml-parser on the same bytes',
  run,
};
