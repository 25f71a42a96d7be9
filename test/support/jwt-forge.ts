import {
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { sql } from './sql';
import type { TestApp } from './test-app';

/** Encodes a JSON value as a base64url JWS segment. */
export function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Signs a compact JWS with ES256 over arbitrary header and payload (for hostile tokens). */
export function signEs256(header: object, payload: object, key: KeyObject | string): string {
  const input = `${segment(header)}.${segment(payload)}`;
  const privateKey = typeof key === 'string' ? createPrivateKey(key) : key;
  const signature = sign('sha256', Buffer.from(input), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });

  return `${input}.${signature.toString('base64url')}`;
}

/** Signs with HMAC-SHA256 using any bytes as the secret (the public-key confusion attack). */
export function signHs256(header: object, payload: object, secret: string | Buffer): string {
  const input = `${segment(header)}.${segment(payload)}`;

  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function attackerKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** The server's signing key as stored in its database. */
export async function storedSigningKey(
  api: TestApp,
): Promise<{ kid: string; privatePem: string; publicPem: string }> {
  const [row] = await sql(
    api,
    'SELECT kid, private_key_pem, public_key_pem FROM signing_keys ORDER BY created_at DESC',
  );

  return { kid: row.kid, privatePem: row.private_key_pem, publicPem: row.public_key_pem };
}

/** Decodes the payload of a compact JWS (no verification). */
export function payloadOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

export function headerOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
}
