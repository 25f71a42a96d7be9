/**
 * CAP import benchmark: a seeded ~1 MB CAP 1.2 message with 24 areas of 2,000-point polygons.
 * Prints milliseconds per import (decode, XML, validation, model) and the ratio against bare
 * XML parsing of the same bytes: fast-xml-parser alone, or, were it missing, our reader alone
 * reader alone (building the element tree without any CAP work).
 *
 *   npx vitest bench --run bench/cap-import
 */
import { createRequire } from 'node:module';
import { parseCap, readXml } from '@tocsin/cap';
import { bench, describe } from 'vitest';
import { generateCapMessage } from './generate';

const bytes = Buffer.from(generateCapMessage(42, 24, 2000));
const ROUNDS = 30;

type Parse = (input: Buffer) => unknown;

function baseline(): { name: string; parse: Parse } {
  try {
    const { XMLParser } = createRequire(__filename)('fast-xml-parser') as {
      XMLParser: new (options: object) => { parse(input: Buffer): unknown };
    };
    const parser = new XMLParser({ ignoreAttributes: false, processEntities: false });

    return { name: 'fast-xml-parser', parse: (input) => parser.parse(input) };
  } catch {
    return {
      name: 'bare XML reader (fast-xml-parser not installed)',
      parse: (input) => readXml(input.toString('utf8')),
    };
  }
}

function msPerRun(run: () => unknown): number {
  for (let i = 0; i < 3; i += 1) run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i += 1) run();

  return Number(process.hrtime.bigint() - start) / 1e6 / ROUNDS;
}

const base = baseline();
const result = parseCap(bytes);
if (!result.ok) throw new Error(`generated message refused: ${JSON.stringify(result.errors[0])}`);
const importMs = msPerRun(() => parseCap(bytes));
const baseMs = msPerRun(() => base.parse(bytes));
console.log(
  `cap-import: ${(bytes.length / 1024).toFixed(0)} KiB, ` +
    `${result.alert.info[0]!.area.length} areas; parseCap ${importMs.toFixed(1)} ms per import; ` +
    `${base.name} ${baseMs.toFixed(1)} ms; ratio ${(importMs / baseMs).toFixed(2)}`,
);

describe('CAP import of a ~1 MB message', () => {
  bench('parseCap', () => {
    parseCap(bytes);
  });
  bench(base.name, () => {
    base.parse(bytes);
  });
});
