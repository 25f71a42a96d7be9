import { DomainError } from '@tocsin/common';
import { parseBbox, type BoundingBox } from '@tocsin/geo';

export type AlertStateFilter = 'active' | 'cancelled' | 'expired';

export interface ListAlertsFilter {
  bbox?: BoundingBox;
  state?: AlertStateFilter;
  limit?: number;
}

const STATES: ReadonlySet<string> = new Set(['active', 'cancelled', 'expired']);
const KNOWN: ReadonlySet<string> = new Set(['bbox', 'status', 'limit']);
const LIMIT = /^[0-9]{1,4}$/;

/**
 * Reads the query of `GET /api/alerts` (`bbox=w,s,e,n`, `status`, `limit` 1..1000) with
 * plain checks instead of class-validator: the map asks on every pan. Like the global pipe,
 * it refuses unknown and repeated parameters; any refusal is a 400.
 */
export function parseListAlertsQuery(query: Record<string, unknown>): ListAlertsFilter {
  for (const name of Object.keys(query)) {
    if (!KNOWN.has(name)) throw invalid(`unknown parameter ${name}`);
    if (typeof query[name] !== 'string') throw invalid(`${name} must be given once`);
  }

  const { bbox, status, limit } = query as Record<string, string | undefined>;
  if (bbox !== undefined && bbox.length > 200) throw invalid('bbox is too long');
  if (status !== undefined && !STATES.has(status)) {
    throw invalid('status must be active, cancelled or expired');
  }

  return {
    bbox: bbox === undefined ? undefined : parseBbox(bbox),
    state: status as AlertStateFilter | undefined,
    limit: limit === undefined ? undefined : parseLimit(limit),
  };
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!LIMIT.test(text) || limit < 1 || limit > 1000) {
    throw invalid('limit must be an integer from 1 to 1000');
  }

  return limit;
}

function invalid(message: string): DomainError {
  return new DomainError('invalid', 'alerts.invalid_query', message);
}
