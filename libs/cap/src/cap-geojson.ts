import circle from '@turf/circle';
import type { MultiPolygon, Position } from 'geojson';
import type { CapAlert, CapArea, CapCircle, LonLat } from './cap.types';

/**
 * Vertices used to approximate a circle: 64 segments, so 65 positions with the closing one.
 * At 25 km the chord error is under 0.12% of the radius (about 30 m).
 */
export const CAP_CIRCLE_STEPS = 64;

/**
 * The drawable shape of one or more CAP areas. `geometry` holds every polygon and every
 * circle of positive radius (approximated, see CAP_CIRCLE_STEPS); it is null when there is
 * nothing to draw (areas with geocodes only, or only zero-radius circles). `circles` keeps
 * the original circles, zero-radius ones included: CAP uses radius 0 for a point.
 */
export interface CapAreaGeometry {
  readonly geometry: MultiPolygon | null;
  readonly circles: CapCircle[];
}

/** One area as GeoJSON, rings in [lon, lat] order. */
export function capAreaToGeoJson(area: CapArea): CapAreaGeometry {
  return collect([area]);
}

/**
 * The area of a whole alert: the union of every polygon and circle of every info's areas.
 * Identical shapes (the same area repeated in each language's info) appear once. Overlapping
 * members are not dissolved here: a MultiPolygon member list is the union as a set of points,
 * and PostGIS (ST_UnaryUnion) dissolves it when a single outline is needed.
 */
export function alertAreaUnion(alert: CapAlert): CapAreaGeometry {
  return collect(alert.info.flatMap((info) => info.area));
}

function collect(areas: readonly CapArea[]): CapAreaGeometry {
  const polygons = new Map<string, Position[][]>();
  const circles = new Map<string, CapCircle>();
  for (const area of areas) {
    for (const ring of area.polygon) polygons.set(JSON.stringify(ring), [ring.map(copy)]);
    for (const c of area.circle) {
      const key = JSON.stringify(c);
      circles.set(key, c);
      if (c.radiusKm > 0) polygons.set(key, [circleRing(c)]);
    }
  }
  const coordinates = [...polygons.values()];

  return {
    geometry: coordinates.length > 0 ? { type: 'MultiPolygon', coordinates } : null,
    circles: [...circles.values()],
  };
}

function circleRing(c: CapCircle): Position[] {
  const polygon = circle([...c.center], c.radiusKm, {
    steps: CAP_CIRCLE_STEPS,
    units: 'kilometers',
  });

  return polygon.geometry.coordinates[0]!;
}

function copy(point: LonLat): Position {
  return [point[0], point[1]];
}
