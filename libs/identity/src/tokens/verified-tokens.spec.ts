import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VerifiedTokens } from './verified-tokens';

const key = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;

describe('VerifiedTokens', () => {
  const current = key();
  const keys = new Map([['kid-1', current]]);
  const lookup = (kid: string) => keys.get(kid);

  it('answers a remembered token until the second of its exp', () => {
    const cache = new VerifiedTokens<{ exp: number }>(10, lookup);
    cache.remember('t', 'kid-1', current, { exp: 100 });

    expect(cache.get('t', 99.9)).toEqual({ exp: 100 });
    expect(cache.get('t', 100)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets a token once its key is no longer a verification key', () => {
    const cache = new VerifiedTokens<{ exp: number }>(10, lookup);
    cache.remember('t', 'kid-1', current, { exp: 100 });
    keys.set('kid-1', key());

    expect(cache.get('t', 1)).toBeUndefined();
    keys.set('kid-1', current);
  });

  it('never answers a token it was not given', () => {
    const cache = new VerifiedTokens<{ exp: number }>(10, lookup);
    cache.remember('t', 'kid-1', current, { exp: 100 });

    expect(cache.get('t ', 1)).toBeUndefined();
    expect(cache.get('T', 1)).toBeUndefined();
  });

  it('drops the least recently used token when full', () => {
    const cache = new VerifiedTokens<{ exp: number }>(2, lookup);
    cache.remember('a', 'kid-1', current, { exp: 100 });
    cache.remember('b', 'kid-1', current, { exp: 100 });
    cache.get('a', 1);
    cache.remember('c', 'kid-1', current, { exp: 100 });

    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toBeDefined();
    expect(cache.get('c', 1)).toBeDefined();
  });
});
