import type { KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** Claims whose signature, issuer, audience and structure were checked once. */
export interface VerifiedClaims {
  exp: number;
}

interface Entry<C extends VerifiedClaims> {
  kid: string;
  key: KeyObject;
  claims: C;
}

/**
 * Remembers access tokens whose ES256 signature already verified, keyed by the exact token
 * text, so that the next request with the same token skips the signature check (the costliest
 * step of authentication). Only the cryptography is remembered: callers still check the
 * session and the user in the database on every request, so logout and disabling refuse a
 * cached token at once. An entry stops counting when the token expires, and when the key it
 * was verified with is no longer a verification key (rotation). Least recently used entries
 * go first once `capacity` is reached.
 */
export class VerifiedTokens<C extends VerifiedClaims> {
  private readonly entries: LRUCache<string, Entry<C>>;

  constructor(
    capacity: number,
    private readonly currentKey: (kid: string) => KeyObject | undefined,
  ) {
    this.entries = new LRUCache({ max: capacity });
  }

  /** The claims of a token verified before, still unexpired and under a current key. */
  get(token: string, nowSeconds = Date.now() / 1000): C | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;

    // Same test as jsonwebtoken: expired from the second `exp` names; the key must still be ours.
    if (nowSeconds >= entry.claims.exp || this.currentKey(entry.kid) !== entry.key) {
      this.entries.delete(token);

      return undefined;
    }

    return entry.claims;
  }

  remember(token: string, kid: string, key: KeyObject, claims: C): void {
    this.entries.set(token, { kid, key, claims });
  }

  get size(): number {
    return this.entries.size;
  }
}
