import { describe, expect, it } from 'vitest';
import { toMultiPolygon } from './jurisdiction';

const square = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0],
];

describe('toMultiPolygon', () => {
  it('turns a Polygon into a MultiPolygon and keeps a MultiPolygon', () => {
    expect(toMultiPolygon({ type: 'Polygon', coordinates: [square] })).toEqual({
      type: 'MultiPolygon',
      coordinates: [[square]],
    });
    expect(
      toMultiPolygon({ type: 'MultiPolygon', coordinates: [[square], [square]] }).coordinates,
    ).toHaveLength(2);
  });

  it.each([
    ['a Point', { type: 'Point', coordinates: [0, 0] }],
    ['an open ring', { type: 'Polygon', coordinates: [square.slice(0, 4)] }],
    [
      'a ring of three positions',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
    ],
    [
      'a latitude out of range',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 91],
            [0, 0],
          ],
        ],
      },
    ],
    [
      'a string position',
      {
        type: 'Polygon',
        coordinates: [
          [
            ['0', 0],
            [1, 0],
            [1, 1],
            ['0', 0],
          ],
        ],
      },
    ],
    [
      'NaN-like input',
      {
        type: 'Polygon',
        coordinates: [
          [
            [null, 0],
            [1, 0],
            [1, 1],
            [null, 0],
          ],
        ],
      },
    ],
    ['extra members', { type: 'Polygon', coordinates: [square], properties: {} }],
    ['an array', [square]],
    ['null', null],
  ])('refuses %s', (_name, value) => {
    expect(() => toMultiPolygon(value)).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });
});
