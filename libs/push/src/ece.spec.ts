import { createECDH, randomBytes } from 'node:crypto';
import * as ece from 'http_ece';
import { describe, expect, it } from 'vitest';
import { encryptPush } from './ece';

function device() {
  const ecdh = createECDH('prime256v1');
  const p256dh = ecdh.generateKeys();

  return { ecdh, keys: { p256dh, auth: randomBytes(16) } };
}

describe('encryptPush (RFC 8291 aes128gcm)', () => {
  it('is decrypted by an independent implementation with the device private key', () => {
    const { ecdh, keys } = device();
    const text = Buffer.from(JSON.stringify({ headline: 'Évacuez 🚨', body: 'x'.repeat(2900) }));

    const body = encryptPush(keys, text);
    const plain = ece.decrypt(body, {
      version: 'aes128gcm',
      privateKey: ecdh,
      authSecret: keys.auth,
    });

    expect(plain.equals(text)).toBe(true);
    expect(body.length).toBe(text.length + 86 + 17);
  });

  it('uses a new key pair and salt for every message', () => {
    const { keys } = device();
    const first = encryptPush(keys, Buffer.from('same'));
    const second = encryptPush(keys, Buffer.from('same'));

    expect(first.subarray(0, 16).equals(second.subarray(0, 16))).toBe(false);
    expect(first.subarray(21, 86).equals(second.subarray(21, 86))).toBe(false);
  });

  it('refuses a payload whose body would exceed 4096 bytes', () => {
    expect(() => encryptPush(device().keys, Buffer.alloc(4000))).toThrow(RangeError);
  });

  it('refuses a key that is not a P-256 point', () => {
    expect(() =>
      encryptPush({ p256dh: Buffer.alloc(65, 4), auth: randomBytes(16) }, Buffer.from('x')),
    ).toThrow();
  });
});
