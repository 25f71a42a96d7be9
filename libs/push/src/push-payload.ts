import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What a push is about; the service worker fetches the full object by `id`. */
export type PushSubjectKind = 'alert' | 'message';

export type AlertSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';

/**
 * The JSON the PWA's service worker receives in every push event (decrypted by the browser).
 * Version 1. Kept small on purpose: push services refuse bodies over 4 KB, and a phone on a
 * poor network should get the ring first and fetch the rest afterwards.
 */
export class PushPayloadDto {
  @ApiProperty({ enum: [1], description: 'Contract version; a new shape gets a new number' })
  v!: 1;

  @ApiProperty({ enum: ['alert', 'message'], description: 'What the push is about' })
  kind!: PushSubjectKind;

  @ApiProperty({
    description: 'The alert id, or the conversation id for a message',
    format: 'uuid',
  })
  id!: string;

  @ApiPropertyOptional({
    enum: ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'],
    description: "Alerts only: the CAP severity, for the notification's sound and look",
  })
  severity?: AlertSeverity;

  @ApiProperty({
    description: `The notification title, at most ${120} characters (cut with an ellipsis)`,
  })
  headline!: string;

  @ApiProperty({
    description: `A short text, at most ${240} characters; may be shortened further to fit`,
  })
  body!: string;

  @ApiProperty({ description: 'Path in the PWA to open on tap, such as /alerts/<id>' })
  url!: string;
}

/** Largest serialised payload in bytes; with encryption overhead (~100 bytes) far below 4 KB. */
export const PUSH_PAYLOAD_MAX_BYTES = 3000;
export const HEADLINE_MAX_CHARS = 120;
export const BODY_MAX_CHARS = 240;

export interface PayloadInput {
  kind: PushSubjectKind;
  id: string;
  severity?: AlertSeverity;
  headline: string;
  body?: string;
  url: string;
}

/**
 * Builds the payload and its JSON, cutting the text fields until the JSON fits
 * {@link PUSH_PAYLOAD_MAX_BYTES} (escaping can make a short text long, so bytes are measured).
 */
export function buildPushPayload(input: PayloadInput): { payload: PushPayloadDto; json: string } {
  let headline = truncate(input.headline, HEADLINE_MAX_CHARS);
  let body = truncate(input.body ?? '', BODY_MAX_CHARS);

  for (;;) {
    const payload: PushPayloadDto = {
      v: 1,
      kind: input.kind,
      id: input.id,
      ...(input.severity ? { severity: input.severity } : {}),
      headline,
      body,
      url: input.url,
    };
    const json = JSON.stringify(payload);
    if (Buffer.byteLength(json) <= PUSH_PAYLOAD_MAX_BYTES) return { payload, json };

    if (body.length > 0) {
      body = truncate(body, Math.floor(chars(body) / 2));
    } else if (headline.length > 1) {
      headline = truncate(headline, Math.floor(chars(headline) / 2));
    } else {
      throw new Error('push payload: id and url alone exceed the size budget');
    }
  }
}

function chars(text: string): number {
  return Array.from(text).length;
}

/** Cuts at a code point (never inside a surrogate pair) and marks the cut with an ellipsis. */
export function truncate(text: string, maxChars: number): string {
  const points = Array.from(text.replace(/\s+/g, ' ').trim());
  if (points.length <= maxChars) return points.join('');
  if (maxChars <= 1) return '';

  return `${points.slice(0, maxChars - 1).join('')}…`;
}
