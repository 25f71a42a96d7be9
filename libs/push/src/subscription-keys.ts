import { createPublicKey } from 'node:crypto';
import { DomainError } from '@tocsin/common';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Decodes strict base64url: the alphabet only, no padding, and the canonical spelling. */
export function decodeBase64url(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || !BASE64URL.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64url');

  // Non-canonical trailing bits would decode the same as another spelling: refuse them.
  return decoded.toString('base64url') === value ? decoded : undefined;
}

/**
 * Checks a browser's subscription keys: `p256dh` is an uncompressed P-256 public point
 * (65 bytes, 0x04, on the curve) and `auth` a 16-byte secret, both strict base64url.
 */
export function assertSubscriptionKeys(keys: { p256dh: unknown; auth: unknown }): void {
  const p256dh = decodeBase64url(keys.p256dh);
  if (!p256dh || p256dh.length !== 65 || p256dh[0] !== 0x04 || !isOnCurve(p256dh)) {
    throw new DomainError(
      'invalid',
      'push.key_invalid',
      'keys.p256dh must be base64url of an uncompressed P-256 public key (65 bytes)',
    );
  }
  const auth = decodeBase64url(keys.auth);
  if (!auth || auth.length !== 16) {
    throw new DomainError(
      'invalid',
      'push.auth_invalid',
      'keys.auth must be base64url of 16 bytes',
    );
  }
}

function isOnCurve(point: Buffer): boolean {
  try {
    createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });

    return true;
  } catch {
    return false;
  }
}
