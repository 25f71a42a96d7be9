import { describe, expect, it } from 'vitest';
import { hashVisitorToken, newVisitorToken } from './visitor-token';

describe('visitor tokens', () => {
  it('are opaque, random and stored only as their hash', () => {
    const first = newVisitorToken();
    const second = newVisitorToken();

    expect(first.token).toMatch(/^lhv_[A-Za-z0-9_-]{43}$/);
    expect(first.token).not.toBe(second.token);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.hash).not.toContain(first.token.slice(4));
    expect(hashVisitorToken(first.token)).toBe(first.hash);
  });

  it('refuse anything that is not shaped like one, staff JWTs included', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    for (const value of [jwt, '', 'lhv_short', `lhv_${'a'.repeat(44)}`, 42, null, undefined]) {
      expect(hashVisitorToken(value)).toBeUndefined();
    }
  });
});
