import { circle as turfCircle } from '@turf/circle';
import type { Polygon } from 'geojson';
import { GEO_LIMITS } from './limits';
import { positionProblem, type GeometryProblem } from './geometry-validation';

export interface Circle {
  /** [longitude, latitude], GeoJSON order. */
  center: [number, number];
  radiusMeters: number;
}

/** Checks a circle's centre and radius; returns every problem found. */
export function circleProblems(input: unknown, path = 'circle'): GeometryProblem[] {
  const circle = input as Partial<Circle> | null;
  if (typeof circle !== 'object' || circle === null || Array.isArray(circle)) {
    return [{ path, message: 'must be an object {center: [lon, lat], radiusMeters}' }];
  }

  const problems: GeometryProblem[] = [];
  const center = circle.center;
  if (
    !Array.isArray(center) ||
    center.length !== 2 ||
    !center.every((n) => typeof n === 'number')
  ) {
    problems.push({ path: `${path}.center`, message: 'must be [longitude, latitude]' });
  } else {
    const problem = positionProblem(center);
    if (problem) problems.push({ path: `${path}.center`, message: problem });
  }

  const radius = circle.radiusMeters;
  const { minRadiusMeters: min, maxRadiusMeters: max } = GEO_LIMITS;
  if (typeof radius !== 'number' || !Number.isFinite(radius) || radius < min || radius > max) {
    problems.push({
      path: `${path}.radiusMeters`,
      message: `must be a number of metres from ${min} to ${max}`,
    });
  }

  return problems;
}

/** The polygon that stands in for a circle where one is needed (map display, unions). */
export function circleToPolygon(circle: Circle, steps: number = GEO_LIMITS.circleSteps): Polygon {
  return turfCircle(circle.center, circle.radiusMeters / 1000, { steps, units: 'kilometers' })
    .geometry;
}
