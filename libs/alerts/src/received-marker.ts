import { MAX_RECEIVED_ALERTS } from '@tocsin/contracts';
import { isUUID } from 'class-validator';

/** Seqs are PostgreSQL `integer`s. */
const MAX_SEQ = 2 ** 31 - 1;

/** A handshake's `auth.received`, checked: alert id -> the highest seq the client has. */
export type ReceivedMarker = ReadonlyMap<string, number>;

export type MarkerReading = { marker: ReceivedMarker } | { problem: string };

const NONE: ReceivedMarker = new Map();

/**
 * Reads the marker a client sent. Anything malformed is refused as a whole, with the reason:
 * the catch-up then sends every pending event, which is the safe side (at least once). Only
 * shapes are checked here; whose deliveries it may suppress is the catch-up's business.
 */
export function readReceivedMarker(value: unknown): MarkerReading {
  if (value === undefined || value === null) return { marker: NONE };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { problem: 'received must map alert ids to seqs' };
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_RECEIVED_ALERTS) {
    return { problem: `received names more than ${MAX_RECEIVED_ALERTS} alerts` };
  }
  for (const [alertId, seq] of entries) {
    if (!isUUID(alertId)) return { problem: 'received has a key that is not an alert id' };
    if (!Number.isInteger(seq) || (seq as number) < 1 || (seq as number) > MAX_SEQ) {
      return { problem: 'received has a seq that is not a positive integer' };
    }
  }

  return { marker: new Map(entries as [string, number][]) };
}
