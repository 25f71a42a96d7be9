import { DomainError } from '@tocsin/common';
import type { MultiPolygon } from 'geojson';
import { circleProblems, circleToPolygon, type Circle } from './circle';
import { validatePolygonal, type GeometryProblem } from './geometry-validation';

/** An alert area as a client sends it: a polygonal geometry or a circle. */
export interface AreaInput {
  areaDesc: string;
  geometry?: unknown;
  circle?: unknown;
}

/**
 * A checked area. `geometry` is always a MultiPolygon (a circle's stand-in polygon for a
 * circle); `circle` keeps the original so targeting can use the exact distance.
 */
export interface Area {
  areaDesc: string;
  geometry: MultiPolygon;
  circle?: Circle;
}

const MAX_AREA_DESC = 500;

/**
 * Checks a list of areas and returns them normalized, or throws one `geo.invalid_area`
 * error listing every problem of every area.
 */
export function parseAreas(inputs: unknown, path = 'areas'): Area[] {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw invalid([{ path, message: 'must be a non-empty array of areas' }]);
  }

  const problems: GeometryProblem[] = [];
  const areas = inputs.map((input, index) => parseArea(input, `${path}[${index}]`, problems));
  if (problems.length > 0) throw invalid(problems);

  return areas as Area[];
}

function parseArea(input: unknown, path: string, problems: GeometryProblem[]): Area | undefined {
  const area = input as Partial<AreaInput> | null;
  if (typeof area !== 'object' || area === null || Array.isArray(area)) {
    problems.push({
      path,
      message: 'must be an object {areaDesc, geometry} or {areaDesc, circle}',
    });

    return undefined;
  }
  const descProblem =
    typeof area.areaDesc !== 'string' || area.areaDesc.trim() === ''
      ? 'is required'
      : area.areaDesc.length > MAX_AREA_DESC
        ? `must be at most ${MAX_AREA_DESC} characters`
        : undefined;
  if (descProblem) problems.push({ path: `${path}.areaDesc`, message: descProblem });

  const hasGeometry = area.geometry !== undefined && area.geometry !== null;
  const hasCircle = area.circle !== undefined && area.circle !== null;
  if (hasGeometry === hasCircle) {
    problems.push({ path, message: 'give exactly one of geometry or circle' });

    return undefined;
  }

  if (hasCircle) {
    const circleIssues = circleProblems(area.circle, `${path}.circle`);
    problems.push(...circleIssues);
    if (circleIssues.length > 0 || descProblem) return undefined;
    const circle = area.circle as Circle;
    const polygon = circleToPolygon(circle);

    return {
      areaDesc: (area.areaDesc as string).trim(),
      geometry: { type: 'MultiPolygon', coordinates: [polygon.coordinates] },
      circle: { center: [circle.center[0], circle.center[1]], radiusMeters: circle.radiusMeters },
    };
  }

  const result = validatePolygonal(area.geometry, `${path}.geometry`);
  problems.push(...result.problems);
  if (!result.geometry || descProblem) return undefined;

  return { areaDesc: (area.areaDesc as string).trim(), geometry: result.geometry };
}

function invalid(problems: GeometryProblem[]): DomainError {
  const summary = problems
    .slice(0, 5)
    .map((p) => `${p.path}: ${p.message}`)
    .join('; ');

  return new DomainError('invalid', 'geo.invalid_area', summary, { problems });
}
