import { createHash, randomBytes } from 'node:crypto';

/**
 * Visitor tokens are opaque: `lhv_` and 32 random bytes, kept only as their SHA-256. They are
 * no JWT, so the staff guard refuses them like any malformed token, and the visitor guard
 * refuses anything without the prefix, staff tokens included.
 */
export const VISITOR_TOKEN_PREFIX = 'lhv_';
const SHAPE = /^lhv_[A-Za-z0-9_-]{43}$/;

export function newVisitorToken(): { token: string; hash: string } {
  const token = VISITOR_TOKEN_PREFIX + randomBytes(32).toString('base64url');

  return { token, hash: digest(token) };
}

/** The stored form of a token, or undefined when it cannot be a visitor token at all. */
export function hashVisitorToken(token: unknown): string | undefined {
  if (typeof token !== 'string' || !SHAPE.test(token)) return undefined;

  return digest(token);
}

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Who calls a visitor route or owns a visitor socket, as their token proved. */
export interface VisitorPrincipal {
  visitorId: string;
  conversationId: string;
  agencyId: string;
  origin: string;
  name: string | null;
  closed: boolean;
  expiresAt: number;
}
