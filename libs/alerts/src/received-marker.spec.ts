import { MAX_RECEIVED_ALERTS } from '@tocsin/contracts';
import { describe, expect, it } from 'vitest';
import { readReceivedMarker } from './received-marker';

const ALERT = '0b5e7a52-8f0c-4d3e-9a51-3c1f2d4e5f60';

describe('readReceivedMarker', () => {
  it('reads alert ids and seqs', () => {
    const reading = readReceivedMarker({ [ALERT]: 3 });
    expect(reading).toEqual({ marker: new Map([[ALERT, 3]]) });
  });

  it('treats a missing marker as empty', () => {
    expect(readReceivedMarker(undefined)).toEqual({ marker: new Map() });
    expect(readReceivedMarker(null)).toEqual({ marker: new Map() });
  });

  it.each([
    ['a text', 'everything'],
    ['an array', [ALERT]],
    ['a key that is not a UUID', { 'not-an-id': 1 }],
    ['a seq of zero', { [ALERT]: 0 }],
    ['a fractional seq', { [ALERT]: 1.5 }],
    ['a seq as text', { [ALERT]: '2' }],
    ['a seq past integer', { [ALERT]: 2 ** 31 }],
    ['a nested object', { [ALERT]: { seq: 1 } }],
  ])('refuses %s', (_, value) => {
    expect(readReceivedMarker(value)).toHaveProperty('problem');
  });

  it('refuses a marker naming too many alerts', () => {
    const many = Object.fromEntries(
      Array.from({ length: MAX_RECEIVED_ALERTS + 1 }, (_, i) => [
        `0b5e7a52-8f0c-4d3e-9a51-${String(i).padStart(12, '0')}`,
        1,
      ]),
    );
    expect(readReceivedMarker(many)).toEqual({
      problem: `received names more than ${MAX_RECEIVED_ALERTS} alerts`,
    });
  });
});
