import { DomainError } from '@tocsin/common';

export interface MultiPolygonGeoJson {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}

const MAX_POSITIONS = 50_000;

/**
 * Checks a GeoJSON Polygon or MultiPolygon shape by shape (closed rings of at least four
 * positions, longitudes and latitudes in range) and returns it as a MultiPolygon. Topology
 * (self-intersections) is checked by PostGIS when it is stored.
 *
 * TODO: move to the geo library once it exists, so alerts and groups share one validator.
 */
export function toMultiPolygon(value: unknown): MultiPolygonGeoJson {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('jurisdiction must be a GeoJSON Polygon or MultiPolygon object');
  }
  const { type, coordinates, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).some((key) => key !== 'bbox' && key !== 'crs')) {
    throw invalid('jurisdiction has unexpected members');
  }
  const counter = { positions: 0 };
  if (type === 'Polygon') {
    return { type: 'MultiPolygon', coordinates: [polygon(coordinates, counter)] };
  }
  if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0 || coordinates.length > 1000) {
      throw invalid('a MultiPolygon has 1 to 1000 polygons');
    }

    return {
      type: 'MultiPolygon',
      coordinates: coordinates.map((item) => polygon(item, counter)),
    };
  }

  throw invalid('jurisdiction must be a GeoJSON Polygon or MultiPolygon');
}

function polygon(value: unknown, counter: { positions: number }): number[][][] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 1000) {
    throw invalid('a polygon has 1 to 1000 rings');
  }

  return value.map((ring) => linearRing(ring, counter));
}

function linearRing(value: unknown, counter: { positions: number }): number[][] {
  if (!Array.isArray(value) || value.length < 4) {
    throw invalid('a polygon ring has at least four positions');
  }
  counter.positions += value.length;
  if (counter.positions > MAX_POSITIONS) {
    throw invalid(`a jurisdiction has at most ${MAX_POSITIONS} positions`);
  }
  const ring = value.map(position);
  const [first, last] = [ring[0], ring[ring.length - 1]];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    throw invalid('a polygon ring must end where it starts');
  }

  return ring;
}

function position(value: unknown): number[] {
  if (
    !Array.isArray(value) ||
    value.length < 2 ||
    value.length > 3 ||
    !value.every((n) => typeof n === 'number' && Number.isFinite(n))
  ) {
    throw invalid('a position is [longitude, latitude]');
  }
  const [lon, lat] = value as number[];
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    throw invalid('a position lies outside longitude -180..180 or latitude -90..90');
  }

  return [lon, lat];
}

function invalid(message: string): DomainError {
  return new DomainError('invalid', 'group.bad_jurisdiction', message);
}
