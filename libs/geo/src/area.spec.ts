import { DomainError } from '@tocsin/common';
import { describe, expect, it } from 'vitest';
import { parseAreas } from './area';
import { GEO_LIMITS } from './limits';

const square = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

function problemsOf(areas: unknown): { path: string; message: string }[] {
  try {
    parseAreas(areas);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('invalid');

    return (error as DomainError).details?.problems as { path: string; message: string }[];
  }
  throw new Error('expected the areas to be refused');
}

describe('parseAreas', () => {
  it('turns a Polygon into a MultiPolygon and keeps the description', () => {
    const [area] = parseAreas([{ areaDesc: ' Downtown ', geometry: square(2.3, 48.8, 2.4, 48.9) }]);

    expect(area.areaDesc).toBe('Downtown');
    expect(area.geometry.type).toBe('MultiPolygon');
    expect(area.geometry.coordinates[0][0]).toHaveLength(5);
    expect(area.circle).toBeUndefined();
  });

  it('keeps a circle and gives it a stand-in polygon around its centre', () => {
    const [area] = parseAreas([
      { areaDesc: 'Plant', circle: { center: [4.8, 45.7], radiusMeters: 2000 } },
    ]);

    expect(area.circle).toEqual({ center: [4.8, 45.7], radiusMeters: 2000 });
    const ring = area.geometry.coordinates[0][0];
    expect(ring).toHaveLength(GEO_LIMITS.circleSteps + 1);
    for (const [lon, lat] of ring) {
      expect(Math.abs(lon - 4.8)).toBeLessThan(0.03);
      expect(Math.abs(lat - 45.7)).toBeLessThan(0.02);
    }
  });

  it('refuses a ring that is not closed', () => {
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
    };
    const [problem] = problemsOf([{ areaDesc: 'x', geometry: open }]);

    expect(problem.message).toMatch(/not closed/);
  });

  it('refuses a ring with fewer than four positions', () => {
    const tiny = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [0, 0],
        ],
      ],
    };

    expect(problemsOf([{ areaDesc: 'x', geometry: tiny }])[0].message).toMatch(/at least 4/);
  });

  it('refuses coordinates out of range and says when they look swapped', () => {
    const swapped = square(45.7, 4.8, 45.8, 94.9);
    const outOfRange = square(170, 10, 190, 11);

    expect(problemsOf([{ areaDesc: 'x', geometry: swapped }])[0].message).toMatch(/swapped/);
    expect(problemsOf([{ areaDesc: 'x', geometry: outOfRange }])[0].message).toMatch(
      /longitude 190/,
    );
  });

  it('refuses absurd vertex counts', () => {
    const n = GEO_LIMITS.maxVerticesPerArea + 10;
    const ring = Array.from({ length: n }, (_, i) => {
      const angle = (2 * Math.PI * i) / n;
      return [Math.cos(angle), Math.sin(angle)];
    });
    ring.push(ring[0]);

    const problems = problemsOf([
      { areaDesc: 'x', geometry: { type: 'Polygon', coordinates: [ring] } },
    ]);
    expect(problems[0].message).toMatch(/vertices/);
  });

  it('refuses radii of zero and of thousands of kilometres', () => {
    const zero = problemsOf([{ areaDesc: 'x', circle: { center: [0, 0], radiusMeters: 0 } }]);
    const huge = problemsOf([{ areaDesc: 'x', circle: { center: [0, 0], radiusMeters: 3e6 } }]);

    expect(zero[0].path).toBe('areas[0].circle.radiusMeters');
    expect(huge[0].path).toBe('areas[0].circle.radiusMeters');
  });

  it('accepts a polygon across the antimeridian as it is', () => {
    const fiji = {
      type: 'Polygon',
      coordinates: [
        [
          [179, -17],
          [-179, -17],
          [-179, -15],
          [179, -15],
          [179, -17],
        ],
      ],
    };
    const [area] = parseAreas([{ areaDesc: 'Fiji strait', geometry: fiji }]);

    expect(area.geometry.coordinates[0]).toEqual(fiji.coordinates);
  });

  it('lists every problem of every area with its path', () => {
    const problems = problemsOf([
      { areaDesc: '', geometry: square(0, 0, 1, 1) },
      {
        areaDesc: 'both',
        geometry: square(0, 0, 1, 1),
        circle: { center: [0, 0], radiusMeters: 5 },
      },
      { areaDesc: 'wrong type', geometry: { type: 'Point', coordinates: [0, 0] } },
      'not an object',
    ]);

    expect(problems.map((p) => p.path)).toEqual([
      'areas[0].areaDesc',
      'areas[1]',
      'areas[2].geometry.type',
      'areas[3]',
    ]);
  });

  it('refuses an empty or missing list', () => {
    expect(problemsOf([])[0].path).toBe('areas');
    expect(problemsOf(undefined)[0].path).toBe('areas');
  });
});
