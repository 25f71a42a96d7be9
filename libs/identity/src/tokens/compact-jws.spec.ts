import { describe, expect, it } from 'vitest';
import { parseCompactHeader } from './compact-jws';

const seg = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const KID = 'k'.repeat(43);
const token = (header: object, payload: object = { sub: 'x' }, signature = 'c2ln') =>
  `${seg(header)}.${seg(payload)}.${signature}`;

describe('parseCompactHeader', () => {
  it('accepts ES256 with a kid and the at+jwt type', () => {
    expect(parseCompactHeader(token({ alg: 'ES256', kid: KID, typ: 'at+jwt' }))).toEqual({
      alg: 'ES256',
      kid: KID,
      typ: 'at+jwt',
    });
  });

  it.each([
    ['alg none', { alg: 'none', kid: KID }],
    ['alg HS256', { alg: 'HS256', kid: KID }],
    ['alg in another case', { alg: 'es256', kid: KID }],
    ['no kid', { alg: 'ES256' }],
    ['a kid with a path', { alg: 'ES256', kid: '../../../../../../etc/passwd' }],
    ['a jku', { alg: 'ES256', kid: KID, jku: 'https://evil' }],
    ['a jwk', { alg: 'ES256', kid: KID, jwk: {} }],
    ['an x5u', { alg: 'ES256', kid: KID, x5u: 'https://evil' }],
    ['an x5c', { alg: 'ES256', kid: KID, x5c: [] }],
    ['another typ', { alg: 'ES256', kid: KID, typ: 'refresh+jwt' }],
  ])('refuses %s', (_name, header) => {
    expect(parseCompactHeader(token(header))).toBeUndefined();
  });

  it('refuses the wrong number of segments, padding and non-canonical base64url', () => {
    const good = token({ alg: 'ES256', kid: KID });
    const [h, p, s] = good.split('.');

    for (const bad of [
      `${h}.${p}`,
      `${good}.${s}`,
      `${h}.${p}.`,
      `${h}==.${p}.${s}`,
      `${h}.${p}.${s}+`,
    ]) {
      expect(parseCompactHeader(bad)).toBeUndefined();
    }
    // "c2lo" and "c2lp" decode to different bytes; "c2ln" with altered trailing bits does not
    // round-trip, which would let two spellings carry one signature.
    expect(parseCompactHeader(`${h}.${p}.c2lnb`)).toBeUndefined();
  });

  it('refuses a header or payload that is not a JSON object', () => {
    expect(parseCompactHeader(`${seg([1])}.${seg({})}.c2ln`)).toBeUndefined();
    expect(
      parseCompactHeader(`${seg({ alg: 'ES256', kid: KID })}.${seg('text')}.c2ln`),
    ).toBeUndefined();
    expect(parseCompactHeader(`bm90IGpzb24.${seg({})}.c2ln`)).toBeUndefined();
  });
});
