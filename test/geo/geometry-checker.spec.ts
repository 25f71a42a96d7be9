import { DomainError } from '@tocsin/common';
import { GeometryChecker, parseAreas } from '@tocsin/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDataSource, type TestDataSource } from '../support/test-data-source';

describe('GeometryChecker (PostGIS)', () => {
  let db: TestDataSource;
  let checker: GeometryChecker;

  beforeAll(async () => {
    db = await openTestDataSource();
    checker = new GeometryChecker(db.dataSource);
  });

  afterAll(async () => {
    await db?.close();
  });

  const polygon = (ring: number[][]) => ({ type: 'Polygon', coordinates: [ring] });

  it('accepts a simple polygon, a circle and a polygon across the antimeridian', async () => {
    const areas = parseAreas([
      {
        areaDesc: 'a',
        geometry: polygon([
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ]),
      },
      { areaDesc: 'b', circle: { center: [179.9, -16], radiusMeters: 30_000 } },
      {
        areaDesc: 'c',
        geometry: polygon([
          [179, -17],
          [-179, -17],
          [-179, -15],
          [179, -15],
          [179, -17],
        ]),
      },
    ]);

    await expect(checker.assertSimple(areas)).resolves.toBeUndefined();
  });

  it('refuses a bow-tie polygon and says which one and where', async () => {
    const areas = parseAreas([
      {
        areaDesc: 'ok',
        geometry: polygon([
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ]),
      },
      {
        areaDesc: 'bow tie',
        geometry: polygon([
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
          [0, 0],
        ]),
      },
    ]);

    const error = await checker.assertSimple(areas).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    const [problem] = (error as DomainError).details?.problems as {
      path: string;
      message: string;
    }[];
    expect(problem.path).toBe('areas[1].geometry.coordinates[0]');
    expect(problem.message).toMatch(/Self-intersection at POINT\(0\.5 0\.5\)/);
  });

  it('checks a ring of many thousand vertices quickly', async () => {
    const n = 19_000;
    const ring = Array.from({ length: n }, (_, i) => {
      const angle = (2 * Math.PI * i) / n;
      return [10 + Math.cos(angle), 50 + Math.sin(angle)];
    });
    ring.push(ring[0]);

    await expect(
      checker.assertSimple(parseAreas([{ areaDesc: 'big', geometry: polygon(ring) }])),
    ).resolves.toBeUndefined();
  });
});
