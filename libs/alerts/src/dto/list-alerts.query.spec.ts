import { describe, expect, it } from 'vitest';
import { parseListAlertsQuery } from './list-alerts.query';

describe('parseListAlertsQuery', () => {
  it('reads a box, a state and a limit', () => {
    expect(
      parseListAlertsQuery({ bbox: '2.2,48.8,2.5,49', status: 'active', limit: '50' }),
    ).toEqual({
      bbox: { west: 2.2, south: 48.8, east: 2.5, north: 49 },
      state: 'active',
      limit: 50,
    });
    expect(parseListAlertsQuery({})).toEqual({
      bbox: undefined,
      state: undefined,
      limit: undefined,
    });
  });

  it.each([
    [{ unknown: '1', other: '2' }, 'unknown parameter unknown, other'],
    [
      Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => [name, '1'])),
      'unknown parameter a, b, c, d, e and 2 more',
    ],
    [{ ['x'.repeat(100)]: '1' }, `unknown parameter ${'x'.repeat(40)}`],
    [{ status: ['active', 'expired'] }, 'status: must be given once, as text'],
    [{ status: 'maybe' }, 'status: must be one of active, cancelled, expired'],
    [{ status: 'toString' }, 'status: must be one of active, cancelled, expired'],
    [{ limit: '0' }, 'limit: must be an integer from 1 to 1000'],
    [{ limit: '1001' }, 'limit: must be an integer from 1 to 1000'],
    [{ limit: '1.5' }, 'limit: must be an integer from 1 to 1000'],
    [{ limit: '' }, 'limit: must be an integer from 1 to 1000'],
    [{ limit: '10000' }, 'limit: must be an integer from 1 to 1000'],
    [{ bbox: '1'.repeat(201) }, 'bbox: is too long'],
    [{ bbox: { west: '1' } }, 'bbox: must be given once, as text'],
    [
      { bbox: '1,2,3' },
      'bbox must be four numbers: west,south,east,north, in plain decimal degrees ' +
        '(at most 20 decimals)',
    ],
  ])('refuses %j with a 400 that names the parameter', (query, message) => {
    expect(() => parseListAlertsQuery(query)).toThrow(
      expect.objectContaining({ kind: 'invalid', message }),
    );
  });
});
