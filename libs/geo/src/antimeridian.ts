import type { Position } from 'geojson';

/**
 * True when a ring has an edge whose longitudes differ by more than 180°: read on the sphere
 * (as PostGIS geography does), that edge crosses the antimeridian rather than the globe.
 */
export function crossesAntimeridian(ring: Position[]): boolean {
  for (let i = 1; i < ring.length; i++) {
    if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) return true;
  }

  return false;
}

/** Shifts western longitudes by 360° so a ring across the antimeridian is continuous. */
export function unwrapRing(ring: Position[]): Position[] {
  return ring.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]);
}
