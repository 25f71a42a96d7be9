import { createHash } from 'node:crypto';
import type { PushUrgency } from './push-delivery.entity';
import type { AlertSeverity, PushSubjectKind } from './push-payload';

/** Push services keep a message at most about four weeks; longer TTLs are cut to this. */
export const MAX_TTL_SECONDS = 28 * 24 * 3600;
/** An alert without an expiry stays deliverable for a day. */
export const DEFAULT_ALERT_TTL_SECONDS = 24 * 3600;
/** A chat message older than this is not worth a notification; the app shows it anyway. */
export const MESSAGE_TTL_SECONDS = 24 * 3600;

/**
 * The Topic header for a subject: a push service keeps only the newest message per topic
 * for a device, so an update replaces its alert's earlier notification and a conversation
 * shows one notification. At most 32 base64url characters (RFC 8030): a 24-byte hash.
 */
export function pushTopic(scope: PushSubjectKind | 'conversation', id: string): string {
  return createHash('sha256')
    .update(`tocsin:${scope}:${id}`)
    .digest()
    .subarray(0, 24)
    .toString('base64url');
}

/** Seconds from now until `expires`, within [0, MAX_TTL_SECONDS]; a default when unset. */
export function ttlUntil(expires: Date | undefined, now = new Date()): number {
  if (!expires) return DEFAULT_ALERT_TTL_SECONDS;
  const seconds = Math.ceil((expires.getTime() - now.getTime()) / 1000);

  return Math.min(MAX_TTL_SECONDS, Math.max(0, seconds));
}

/** Extreme and severe alerts wake a sleeping phone at once; the rest may wait for a batch. */
export function urgencyForSeverity(severity: AlertSeverity | undefined): PushUrgency {
  return severity === 'Extreme' || severity === 'Severe' ? 'high' : 'normal';
}
