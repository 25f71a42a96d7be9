import { describe, expect, it } from 'vitest';
import { pushTopic, ttlUntil, urgencyForSeverity } from './push-options';
import { buildPushPayload, PUSH_PAYLOAD_MAX_BYTES, truncate } from './push-payload';
import { parseRetryAfter } from './push-sender';

const id = '6f1c1f9e-2f57-4a35-9d38-5c1a4e0f3b11';

describe('push payload', () => {
  it('keeps a short alert as it is', () => {
    const { payload, json } = buildPushPayload({
      kind: 'alert',
      id,
      severity: 'Minor',
      headline: 'Road closed',
      body: 'Main St',
      url: `/alerts/${id}`,
    });

    expect(JSON.parse(json)).toEqual(payload);
    expect(payload).toMatchObject({ v: 1, headline: 'Road closed', body: 'Main St' });
  });

  it('fits text that escapes to many bytes within the budget', () => {
    const { json, payload } = buildPushPayload({
      kind: 'alert',
      id,
      headline: '\u0001'.repeat(500),
      body: '\u0002"\\'.repeat(10_000),
      url: `/alerts/${id}`,
    });

    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(PUSH_PAYLOAD_MAX_BYTES);
    expect(Array.from(payload.headline).length).toBeLessThanOrEqual(120);
  });

  it('never cuts inside a surrogate pair', () => {
    expect(truncate('🚨🚨🚨', 2)).toBe('🚨…');
    expect(truncate('  a \n b  ', 10)).toBe('a b');
  });
});

describe('push headers', () => {
  it('derives a short base64url topic per subject', () => {
    const topic = pushTopic('alert', id);

    expect(topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(pushTopic('alert', id)).toBe(topic);
    expect(pushTopic('conversation', id)).not.toBe(topic);
  });

  it('sets TTL from the expiry, within bounds', () => {
    const now = new Date('2026-01-01T00:00:00Z');

    expect(ttlUntil(new Date('2026-01-01T01:00:00Z'), now)).toBe(3600);
    expect(ttlUntil(new Date('2025-12-31T00:00:00Z'), now)).toBe(0);
    expect(ttlUntil(new Date('2027-01-01T00:00:00Z'), now)).toBe(28 * 24 * 3600);
  });

  it('is urgent for extreme and severe alerts only', () => {
    expect(urgencyForSeverity('Extreme')).toBe('high');
    expect(urgencyForSeverity('Severe')).toBe('high');
    expect(urgencyForSeverity('Moderate')).toBe('normal');
    expect(urgencyForSeverity(undefined)).toBe('normal');
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');

    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
