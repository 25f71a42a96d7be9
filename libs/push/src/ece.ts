import { createCipheriv, createECDH, createHmac, randomBytes } from 'node:crypto';

/** Record size written in the header: one record holds any payload within the 4 KB budget. */
export const ECE_RECORD_SIZE = 4096;
/** Header (salt 16, rs 4, idlen 1, keyid 65), padding delimiter 1, GCM tag 16. */
const OVERHEAD = 16 + 4 + 1 + 65 + 1 + 16;
/** Push services must accept bodies of 4096 bytes (RFC 8030); larger ones may be refused. */
export const MAX_PUSH_BODY = 4096;

const KEY_INFO = Buffer.from('WebPush: info\0');
const CEK_INFO = Buffer.from('Content-Encoding: aes128gcm\0\x01');
const NONCE_INFO = Buffer.from('Content-Encoding: nonce\0\x01');
const ONE = Buffer.from([1]);
const LAST_RECORD = Buffer.from([2]);

/** A browser's subscription keys, decoded once (see {@link decodeKeys}). */
export interface ReceiverKeys {
  /** The uncompressed P-256 public key (65 bytes). */
  p256dh: Buffer;
  /** The 16-byte authentication secret. */
  auth: Buffer;
}

const hmac = (key: Buffer, ...data: Buffer[]) => {
  const mac = createHmac('sha256', key);
  for (const part of data) mac.update(part);

  return mac.digest();
};

/**
 * Encrypts a push message for one device (RFC 8291 on RFC 8188 `aes128gcm`), in a single
 * record: a fresh ECDH key pair and a random salt for every message, as the RFC requires,
 * so no two messages share a content key. Returns the body to POST as is.
 */
export function encryptPush(keys: ReceiverKeys, plaintext: Buffer): Buffer {
  if (plaintext.length + OVERHEAD > MAX_PUSH_BODY) {
    throw new RangeError(`an encrypted push body must fit ${MAX_PUSH_BODY} bytes`);
  }
  const sender = createECDH('prime256v1');
  const senderPublic = sender.generateKeys();
  const secret = sender.computeSecret(keys.p256dh);
  const salt = randomBytes(16);

  // RFC 8291 section 3.4: the auth secret and both public keys bind the key to this device.
  const prkKey = hmac(keys.auth, secret);
  const ikm = hmac(prkKey, KEY_INFO, keys.p256dh, senderPublic, ONE);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, CEK_INFO).subarray(0, 16);
  const nonce = hmac(prk, NONCE_INFO).subarray(0, 12);

  const cipher = createCipheriv('aes-128-gcm', cek, nonce);
  const header = Buffer.allocUnsafe(21);
  salt.copy(header, 0);
  header.writeUInt32BE(ECE_RECORD_SIZE, 16);
  header[20] = senderPublic.length;

  return Buffer.concat([
    header,
    senderPublic,
    cipher.update(plaintext),
    cipher.update(LAST_RECORD),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
}
