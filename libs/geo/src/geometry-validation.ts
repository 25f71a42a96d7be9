import type { MultiPolygon, Polygon, Position } from 'geojson';
import { GEO_LIMITS } from './limits';

/** A problem found in an input geometry, with a JSON path to where it is. */
export interface GeometryProblem {
  path: string;
  message: string;
}

type Check = { problems: GeometryProblem[] };

/**
 * Checks the structure of a GeoJSON Polygon or MultiPolygon (shape, ranges, closed rings,
 * size) and returns it as a MultiPolygon, or the list of every problem. Crossing edges are
 * found by {@link GeometryChecker} in PostGIS, whose sweep is fast on large rings. Rings
 * crossing the antimeridian are accepted as they are (edges are read as the shorter way
 * round the globe, as PostGIS geography reads them).
 */
export function validatePolygonal(
  input: unknown,
  path = 'geometry',
): { geometry: MultiPolygon; problems: [] } | { geometry: undefined; problems: GeometryProblem[] } {
  const check: Check = { problems: [] };
  const polygons = polygonsOf(input, path, check);
  const vertices = polygons.flat().reduce((sum, ring) => sum + ring.length, 0);
  if (vertices > GEO_LIMITS.maxVerticesPerArea) {
    const limit = GEO_LIMITS.maxVerticesPerArea;
    const message = `has ${vertices} vertices; at most ${limit} are allowed`;

    return { geometry: undefined, problems: [{ path, message }] };
  }

  polygons.forEach((rings, index) => {
    const polygonPath = isMulti(input) ? `${path}.coordinates[${index}]` : `${path}.coordinates`;
    checkPolygon(rings, polygonPath, check);
  });
  if (check.problems.length > 0) return { geometry: undefined, problems: check.problems };

  return { geometry: { type: 'MultiPolygon', coordinates: polygons }, problems: [] };
}

function isMulti(input: unknown): boolean {
  return (input as { type?: unknown })?.type === 'MultiPolygon';
}

function polygonsOf(input: unknown, path: string, check: Check): Position[][][] {
  const geometry = input as Partial<Polygon | MultiPolygon> | null;
  if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry)) {
    check.problems.push({ path, message: 'must be a GeoJSON Polygon or MultiPolygon object' });

    return [];
  }
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
    check.problems.push({ path: `${path}.type`, message: 'must be "Polygon" or "MultiPolygon"' });

    return [];
  }
  const depth = geometry.type === 'Polygon' ? 3 : 4;
  if (!isNestedArray(geometry.coordinates, depth)) {
    check.problems.push({
      path: `${path}.coordinates`,
      message: `must be ${depth} levels of arrays of numbers, as GeoJSON ${geometry.type} has`,
    });

    return [];
  }
  const polygons =
    geometry.type === 'Polygon'
      ? [geometry.coordinates as Position[][]]
      : (geometry.coordinates as Position[][][]);
  if (polygons.length === 0 || polygons.length > GEO_LIMITS.maxPolygonsPerArea) {
    check.problems.push({
      path: `${path}.coordinates`,
      message: `must hold between 1 and ${GEO_LIMITS.maxPolygonsPerArea} polygons`,
    });

    return [];
  }

  return polygons;
}

function isNestedArray(value: unknown, depth: number): boolean {
  if (depth === 1) return Array.isArray(value) && value.every((n) => typeof n === 'number');

  return Array.isArray(value) && value.every((item) => isNestedArray(item, depth - 1));
}

function checkPolygon(rings: Position[][], path: string, check: Check): void {
  if (rings.length === 0) {
    check.problems.push({ path, message: 'a polygon needs an outer ring' });

    return;
  }

  rings.forEach((ring, index) => checkRing(ring, `${path}[${index}]`, check));
}

function checkRing(ring: Position[], path: string, check: Check): void {
  if (ring.length < 4) {
    check.problems.push({ path, message: `a ring needs at least 4 positions, has ${ring.length}` });

    return;
  }
  const badIndex = ring.findIndex((position) => positionProblem(position) !== undefined);
  if (badIndex >= 0) {
    check.problems.push({
      path: `${path}[${badIndex}]`,
      message: positionProblem(ring[badIndex]) as string,
    });

    return;
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    check.problems.push({
      path,
      message: 'the ring is not closed: its last position must equal its first',
    });
  }
}

/** Why a [lon, lat] position is unusable, or undefined when it is fine. */
export function positionProblem(position: Position): string | undefined {
  if (position.length < 2 || position.length > 3) {
    return 'a position is [longitude, latitude] (optionally altitude)';
  }
  const [lon, lat] = position;
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return 'coordinates must be finite numbers';
  if (Math.abs(lat) > 90 && Math.abs(lon) <= 90) {
    return `latitude ${lat} is out of range; GeoJSON positions are [longitude, latitude] — are they swapped?`;
  }
  if (Math.abs(lat) > 90) return `latitude ${lat} is outside -90..90`;
  if (Math.abs(lon) > 180) return `longitude ${lon} is outside -180..180`;

  return undefined;
}
