import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { PinoNestLogger } from './nest-logger';

function capture(level: pino.Level): { lines: Record<string, unknown>[]; nest: PinoNestLogger } {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line)) };

  return { lines, nest: new PinoNestLogger(pino({ level }, stream)) };
}

describe('PinoNestLogger', () => {
  it('keeps Nest’s route and module wiring out of info, and the rest in', () => {
    const { lines, nest } = capture('info');

    nest.log('Mapped {/api/health, GET} route', 'RouterExplorer');
    nest.log('AppModule dependencies initialized', 'InstanceLoader');
    nest.log({ email: 'op@example.org' }, 'created the platform operator', 'OperatorBootstrap');

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ context: 'OperatorBootstrap', email: 'op@example.org' });
  });

  it('writes the wiring at debug, with its context', () => {
    const { lines, nest } = capture('debug');

    nest.log('Mapped {/api/health, GET} route', 'RouterExplorer');

    expect(lines[0]).toMatchObject({ level: 20, context: 'RouterExplorer' });
  });
});
