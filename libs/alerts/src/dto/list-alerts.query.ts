import { DomainError } from '@tocsin/common';
import { parseBbox, type BoundingBox } from '@tocsin/geo';

export type AlertStateFilter = 'active' | 'cancelled' | 'expired';

export interface ListAlertsFilter {
  bbox?: BoundingBox;
  state?: AlertStateFilter;
  limit?: number;
}

const STATES: readonly string[] = ['active', 'cancelled', 'expired'];
const KNOWN = new Set(['bbox', 'status', 'limit']);
const LIMIT = /^[0-9]{1,4}$/;

/**
 * Reads and checks the query of `GET /api/alerts`; any refusal is a 400 that names the
 * parameter. Written by hand rather than with a schema library: the map asks on every pan,
 * and three parameters do not need one. Like the global pipe it refuses unknown parameters,
 * and a repeated one arrives as an array, which is not text.
 */
export function parseListAlertsQuery(query: Record<string, unknown>): ListAlertsFilter {
  const unknown = Object.keys(query).filter((name) => !KNOWN.has(name));
  if (unknown.length > 0) throw invalid(`unknown parameter ${namesOf(unknown)}`);

  const bbox = optionalText(query, 'bbox');
  if (bbox !== undefined && bbox.length > 200) throw invalid('bbox: is too long');

  return {
    bbox: bbox === undefined ? undefined : parseBbox(bbox),
    state: parseState(optionalText(query, 'status')),
    limit: parseLimit(optionalText(query, 'limit')),
  };
}

/** The first few names, so that a query of a thousand parameters does not come back whole. */
function namesOf(names: string[]): string {
  const shown = names.slice(0, 5).map((name) => name.slice(0, 40));
  const more = names.length - shown.length;

  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function optionalText(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return value;

  throw invalid(`${name}: must be given once, as text`);
}

function parseState(status: string | undefined): AlertStateFilter | undefined {
  if (status === undefined || STATES.includes(status)) return status as AlertStateFilter;

  throw invalid(`status: must be one of ${STATES.join(', ')}`);
}

function parseLimit(limit: string | undefined): number | undefined {
  if (limit === undefined) return undefined;
  const value = LIMIT.test(limit) ? Number(limit) : 0;
  if (value < 1 || value > 1000) throw invalid('limit: must be an integer from 1 to 1000');

  return value;
}

function invalid(message: string): DomainError {
  return new DomainError('invalid', 'alerts.invalid_query', message);
}
