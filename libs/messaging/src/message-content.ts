import { MESSAGE_MAX_LENGTH, type MessageKind, type SharedLocation } from '@tocsin/contracts';
import { messagingErrors } from './errors';

export interface MessageContent {
  kind: MessageKind;
  body: string | null;
  location: SharedLocation | null;
}

/**
 * Checks what a client sends as a message: text (not blank, at most MESSAGE_MAX_LENGTH
 * characters, no NUL), or a shared location with an optional caption.
 */
export function parseContent(input: { body?: unknown; location?: unknown }): MessageContent {
  const location = input.location === undefined ? null : parseLocation(input.location);
  const body = input.body === undefined ? null : parseText(input.body, location !== null);
  if (!location && body === null) {
    throw messagingErrors.invalid('message.empty', 'a message needs a body or a location');
  }

  return { kind: location ? 'location' : 'text', body, location };
}

export function parseText(value: unknown, optional = false): string | null {
  if (typeof value !== 'string') {
    throw messagingErrors.invalid('message.body_invalid', 'body must be a string');
  }
  if (value.trim() === '') {
    if (optional) return null;
    throw messagingErrors.invalid('message.empty', 'the message is empty');
  }
  if (value.length > MESSAGE_MAX_LENGTH) {
    throw messagingErrors.invalid(
      'message.too_long',
      `a message holds at most ${MESSAGE_MAX_LENGTH} characters`,
      { maxLength: MESSAGE_MAX_LENGTH, length: value.length },
    );
  }
  if (value.includes('\u0000') || !value.isWellFormed()) {
    throw messagingErrors.invalid(
      'message.body_invalid',
      'the message contains a NUL character or an unpaired surrogate',
    );
  }

  return value;
}

function parseLocation(value: unknown): SharedLocation {
  const candidate = value as Partial<Record<string, unknown>> | null;
  const isNumber = (n: unknown, min: number, max: number) =>
    typeof n === 'number' && Number.isFinite(n) && n >= min && n <= max;
  const keys = candidate && typeof candidate === 'object' ? Object.keys(candidate) : [];
  if (
    !candidate ||
    keys.some((key) => !['lat', 'lon', 'accuracy'].includes(key)) ||
    !isNumber(candidate.lat, -90, 90) ||
    !isNumber(candidate.lon, -180, 180) ||
    (candidate.accuracy !== undefined && !isNumber(candidate.accuracy, 0, 100_000))
  ) {
    throw messagingErrors.invalid(
      'message.location_invalid',
      'location is {lat: -90..90, lon: -180..180, accuracy?: metres}',
    );
  }
  const location: SharedLocation = { lat: candidate.lat as number, lon: candidate.lon as number };
  if (candidate.accuracy !== undefined) location.accuracy = candidate.accuracy as number;

  return location;
}
