/**
 * Structural checks on a compact JWS before any cryptography: exactly three non-empty
 * segments of canonical base64url, a JSON object header that names ES256 and a plausible
 * `kid`, and no header that points at a key elsewhere (jku, x5u, jwk, x5c...). The library
 * verifying the signature pins the algorithm again; this refuses the rest up front.
 */
export interface JwsHeader {
  alg: 'ES256';
  kid: string;
  typ?: string;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const KID = /^[A-Za-z0-9_-]{16,64}$/;
const ALLOWED_HEADERS = new Set(['alg', 'kid', 'typ']);
const MAX_TOKEN_LENGTH = 4096;

export function parseCompactHeader(token: string): JwsHeader | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const segments = token.split('.');
  if (segments.length !== 3 || !segments.every(isCanonicalBase64Url)) return undefined;

  const header = parseJsonObject(segments[0]);
  const payload = parseJsonObject(segments[1]);
  if (!header || !payload) return undefined;
  if (Object.keys(header).some((name) => !ALLOWED_HEADERS.has(name))) return undefined;
  if (header.alg !== 'ES256') return undefined;
  if (typeof header.kid !== 'string' || !KID.test(header.kid)) return undefined;
  if (header.typ !== undefined && header.typ !== 'at+jwt') return undefined;

  return { alg: 'ES256', kid: header.kid, typ: header.typ };
}

/** Base64url without padding whose decoding encodes back to the same text. */
function isCanonicalBase64Url(segment: string): boolean {
  if (!SEGMENT.test(segment) || segment.length % 4 === 1) return false;

  return Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

function parseJsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
