import { describe, expect, it } from 'vitest';
import { ReceivedLog } from './received-alerts';
import { MAX_RECEIVED_ALERTS } from './socket-events';

const id = (i: number) => `0b5e7a52-8f0c-4d3e-9a51-${String(i).padStart(12, '0')}`;

describe('ReceivedLog', () => {
  it('keeps the highest seq of each alert', () => {
    const log = new ReceivedLog();
    log.note(id(1), 2);
    log.note(id(1), 1);
    log.note(id(2), 1);
    expect(log.toAuth()).toEqual({ [id(1)]: 2, [id(2)]: 1 });
  });

  it('keeps only the most recently noted alerts', () => {
    const log = new ReceivedLog();
    for (let i = 0; i <= MAX_RECEIVED_ALERTS; i += 1) log.note(id(i), 1);
    log.note(id(1), 2); // Noted again: now the newest, so kept.
    log.note(id(MAX_RECEIVED_ALERTS + 1), 1);

    const auth = log.toAuth();
    expect(Object.keys(auth)).toHaveLength(MAX_RECEIVED_ALERTS);
    expect(auth).not.toHaveProperty(id(0));
    expect(auth).not.toHaveProperty(id(2));
    expect(auth[id(1)]).toBe(2);
  });

  it('ignores a seq the server would refuse', () => {
    const log = new ReceivedLog();
    log.note(id(1), 0);
    log.note(id(2), Number.NaN);
    expect(log.toAuth()).toEqual({});
  });
});
