import { between, seeded } from '../harness/random';

/** Seeded alert areas around Lyon: the shapes the issue names, as Tocsin's API takes them. */
const CENTER: [number, number] = [4.84, 45.75];
const KM_LON = 1 / 111.32 / Math.cos((CENTER[1] * Math.PI) / 180);
const KM_LAT = 1 / 110.57;

/** A simple (never self-crossing) ring: angles increase, radii vary within ±`jitter`. */
function ring(
  seed: number,
  center: [number, number],
  vertices: number,
  km: number,
  jitter: number,
) {
  const random = seeded(seed);
  const points: [number, number][] = [];
  for (let i = 0; i < vertices - 1; i += 1) {
    const angle = (2 * Math.PI * i) / (vertices - 1);
    const r = km * between(random, 1 - jitter, 1 + jitter);
    points.push([
      Number((center[0] + r * Math.cos(angle) * KM_LON).toFixed(6)),
      Number((center[1] + r * Math.sin(angle) * KM_LAT).toFixed(6)),
    ]);
  }
  points.push(points[0]);

  return points;
}

const offset = (dx: number, dy: number): [number, number] => [
  CENTER[0] + dx * KM_LON,
  CENTER[1] + dy * KM_LAT,
];

export const SHAPES: { name: string; area: object }[] = [
  {
    name: 'circle 5 km',
    area: { areaDesc: 'circle', circle: { center: CENTER, radiusMeters: 5000 } },
  },
  {
    name: 'circle 20 km',
    area: { areaDesc: 'circle', circle: { center: offset(10, 5), radiusMeters: 20_000 } },
  },
  {
    name: 'polygon 33 vertices',
    area: {
      areaDesc: 'polygon',
      geometry: { type: 'Polygon', coordinates: [ring(1, CENTER, 33, 12, 0.3)] },
    },
  },
  {
    name: 'outline 500 vertices',
    area: {
      areaDesc: 'outline',
      geometry: { type: 'Polygon', coordinates: [ring(2, offset(-8, 3), 500, 25, 0.15)] },
    },
  },
  {
    name: 'multipolygon 3 × 40',
    area: {
      areaDesc: 'multipolygon',
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [ring(3, offset(-30, -20), 40, 8, 0.3)],
          [ring(4, offset(25, 25), 40, 10, 0.3)],
          [ring(5, offset(30, -30), 40, 6, 0.3)],
        ],
      },
    },
  },
];

/** Responder positions spread over a 140 × 140 km square around the shapes (degrees). */
export const SPREAD = {
  west: CENTER[0] - 70 * KM_LON,
  east: CENTER[0] + 70 * KM_LON,
  south: CENTER[1] - 70 * KM_LAT,
  north: CENTER[1] + 70 * KM_LAT,
};
