import { describe, expect, it } from 'vitest';
import { auditEventHash, GENESIS_HASH } from './audit-hash';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same text for the same value in any key order', () => {
    expect(canonicalJson({ x: 1, y: 'é' })).toBe(canonicalJson({ y: 'é', x: 1 }));
  });
});

describe('auditEventHash', () => {
  const event = {
    id: '5f2b8c1e-0000-4000-8000-000000000001',
    chain: 'agency',
    agencyId: null,
    actorId: null,
    action: 'auth.login',
    targetType: 'session',
    targetId: 'abc',
    data: { address: '127.0.0.1' },
    createdAt: new Date('2026-01-01T00:00:00.000Z'),
    prevHash: GENESIS_HASH,
  };

  it('is a SHA-256 hex digest that depends on the previous hash and every field', () => {
    const hash = auditEventHash(event);

    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(auditEventHash({ ...event, prevHash: 'f'.repeat(64) })).not.toBe(hash);
    expect(auditEventHash({ ...event, data: { address: '127.0.0.2' } })).not.toBe(hash);
    expect(auditEventHash({ ...event, createdAt: new Date(1) })).not.toBe(hash);
    expect(auditEventHash({ ...event, action: 'auth.logout' })).not.toBe(hash);
    expect(auditEventHash({ ...event })).toBe(hash);
  });
});
