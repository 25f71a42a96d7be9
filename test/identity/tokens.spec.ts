import { AccessTokenService } from '@tocsin/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgency,
  createUser,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import {
  attackerKey,
  headerOf,
  payloadOf,
  segment,
  signEs256,
  signHs256,
  storedSigningKey,
} from '../support/jwt-forge';
import { sql } from '../support/sql';
import { request, startTestApp, type TestApp } from '../support/test-app';

/**
 * Every token RFC 8725 tells us to refuse is refused with 401 over HTTP, and by
 * AccessTokenService.verify (which the socket handshake uses), and nothing changes.
 */
describe('access tokens', () => {
  let api: TestApp;
  let agency: TestAgency;
  let key: { kid: string; privatePem: string; publicPem: string };
  let issuer: string;
  let audience: string;
  let before: { sessions: number; audit: number };

  /** Claims of a token the server would issue for the agency's responder. */
  const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
    const base = payloadOf(agency.users.responder.accessToken);
    const now = Math.floor(Date.now() / 1000);

    return { ...base, iat: now, exp: now + 300, jti: `j-${Math.random()}`, ...overrides };
  };
  const header = (overrides: Record<string, unknown> = {}) => ({
    alg: 'ES256',
    typ: 'at+jwt',
    kid: key.kid,
    ...overrides,
  });
  const forged = (h: object = header(), c: object = claims()) => signEs256(h, c, key.privatePem);

  async function expectRefused(token: string): Promise<void> {
    const http = await request(`${api.url}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(http.status).toBe(401);
    expect(http.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    await expect(api.app.get(AccessTokenService).verify(token)).rejects.toMatchObject({
      kind: 'unauthenticated',
    });
  }

  const counts = async () => {
    const [row] = await sql(
      api,
      `SELECT (SELECT count(*)::int FROM sessions) AS sessions,
              (SELECT count(*)::int FROM audit_events) AS audit`,
    );

    return row as { sessions: number; audit: number };
  };

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    const operator = await loginOperator(api.url);
    agency = await createAgency(api.url, operator.accessToken);
    key = await storedSigningKey(api);
    ({ issuer, audience } = api.config.identity.jwt);
    before = await counts();
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('accepted', () => {
    it('accepts the token the server issued, with the pinned header and claims', async () => {
      const token = agency.users.responder.accessToken;
      const me = await request(`${api.url}/api/me`, { token });

      expect(me.status).toBe(200);
      expect(headerOf(token)).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: key.kid });
      expect(payloadOf(token)).toMatchObject({
        typ: 'access',
        iss: issuer,
        aud: audience,
        sub: agency.users.responder.id,
      });
      expect(payloadOf(token).exp - payloadOf(token).iat).toBe(900);
      expect(typeof payloadOf(token).jti).toBe('string');
    });

    it('accepts a token this test signs with the server key (so the refusals below mean it)', async () => {
      const me = await request(`${api.url}/api/me`, { token: forged() });

      expect(me.status).toBe(200);
    });
  });

  describe('refused', () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      it(`refuses alg "${alg}"`, async () => {
        const unsigned = `${segment(header({ alg }))}.${segment(claims())}`;
        await expectRefused(`${unsigned}.`);
        await expectRefused(`${unsigned}.${Buffer.from('sig').toString('base64url')}`);
      });
    }

    it('refuses an HS256 token signed with our public key as the secret', async () => {
      await expectRefused(signHs256(header({ alg: 'HS256' }), claims(), key.publicPem));
      await expectRefused(
        signHs256(header({ alg: 'HS256', kid: undefined }), claims(), key.publicPem),
      );
    });

    it('refuses another algorithm in the header', async () => {
      await expectRefused(forged(header({ alg: 'ES384' })));
      await expectRefused(forged(header({ alg: 'RS256' })));
    });

    it('refuses an expired token', async () => {
      const past = Math.floor(Date.now() / 1000) - 60;
      await expectRefused(forged(header(), claims({ iat: past - 900, exp: past })));
    });

    it('refuses a token without exp', async () => {
      await expectRefused(forged(header(), claims({ exp: undefined })));
    });

    it('refuses a token whose nbf is in the future', async () => {
      await expectRefused(forged(header(), claims({ nbf: Math.floor(Date.now() / 1000) + 120 })));
    });

    it('refuses a wrong or missing issuer', async () => {
      await expectRefused(forged(header(), claims({ iss: 'https://evil.example' })));
      await expectRefused(forged(header(), claims({ iss: undefined })));
    });

    it('refuses a wrong or missing audience', async () => {
      await expectRefused(forged(header(), claims({ aud: 'another-api' })));
      await expectRefused(forged(header(), claims({ aud: undefined })));
    });

    it('refuses a refresh token used as an access token', async () => {
      await expectRefused(agency.users.responder.refreshToken);
      await expectRefused(forged(header(), claims({ typ: 'refresh' })));
    });

    it('refuses an invitation token used as an access token', async () => {
      const created = await request(`${api.url}/api/agencies/${agency.id}/users`, {
        method: 'POST',
        token: agency.users.admin.accessToken,
        body: { email: 'invited-token@agency.test', displayName: 'Invited', role: 'observer' },
      });
      expect(created.status).toBe(201);
      await expectRefused(created.body.invitation.token);
      await expectRefused(forged(header(), claims({ typ: 'invitation' })));
      await expectRefused(forged(header(), claims({ typ: undefined })));
    });

    it('refuses an unknown kid', async () => {
      await expectRefused(forged(header({ kid: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })));
      await expectRefused(forged(header({ kid: undefined })));
    });

    it('refuses a hostile kid', async () => {
      for (const kid of ['../../../../dev/null', "' OR '1'='1", 'x'.repeat(5000), 42, ['a'], {}]) {
        await expectRefused(forged(header({ kid })));
      }
    });

    it('refuses jku, x5u, jwk and x5c headers, even pointing at our own key', async () => {
      const attacker = attackerKey();
      const jwk = attacker.publicKey.export({ format: 'jwk' });
      await expectRefused(forged(header({ jku: 'https://evil.example/jwks.json' })));
      await expectRefused(forged(header({ x5u: 'https://evil.example/cert.pem' })));
      await expectRefused(forged(header({ x5c: ['MIIB'] })));
      await expectRefused(forged(header({ jwk })));
      await expectRefused(signEs256(header({ jwk }), claims(), attacker.privateKey));
      await expectRefused(forged(header({ crit: ['exp'] })));
    });

    it('refuses a token signed by another key under our kid', async () => {
      await expectRefused(signEs256(header(), claims(), attackerKey().privateKey));
    });

    it('refuses an edited payload', async () => {
      const [h, , s] = forged().split('.');
      const edited = segment(claims({ sub: agency.users.admin.id }));
      await expectRefused(`${h}.${edited}.${s}`);
      const [h2, , s2] = agency.users.responder.accessToken.split('.');
      await expectRefused(
        `${h2}.${segment({ ...payloadOf(agency.users.responder.accessToken), exp: 9999999999 })}.${s2}`,
      );
    });

    it('refuses malformed base64url and the wrong number of segments', async () => {
      const token = forged();
      const [h, p, s] = token.split('.');
      await expectRefused(`${h}.${p}.${s}.${s}`);
      await expectRefused(`${h}.${p}.${s}.`);
      await expectRefused(`${h}.${p}`);
      await expectRefused(`${h}.${p}.${s}.${h}.${p}`);
      await expectRefused(`${h}=.${p}.${s}`);
      await expectRefused(`${h}.${p.replace(/-/g, '+').replace(/_/g, '/')}+/.${s}`);
      await expectRefused(`${h}.${p}.${s.slice(0, -1)}`);
      await expectRefused(`${h}.${p}.${s}==`);
      await expectRefused(`${h}.!!!.${s}`);
      await expectRefused(`${Buffer.from('not json').toString('base64url')}.${p}.${s}`);
      await expectRefused(`${segment([1, 2])}.${p}.${s}`);
    });

    it('refuses the token of a user who logged out a moment ago', async () => {
      const user = await createUser(
        api.url,
        agency.users.admin.accessToken,
        agency.id,
        'responder',
      );
      expect((await request(`${api.url}/api/me`, { token: user.accessToken })).status).toBe(200);

      const out = await request(`${api.url}/api/auth/logout`, {
        method: 'POST',
        token: user.accessToken,
      });
      expect(out.status).toBe(204);

      await expectRefused(user.accessToken);
      before = await counts();
    });

    it('refuses the token of a user disabled a moment ago', async () => {
      const user = await createUser(api.url, agency.users.admin.accessToken, agency.id, 'observer');
      const disabled = await request(`${api.url}/api/users/${user.id}/disable`, {
        method: 'POST',
        token: agency.users.admin.accessToken,
      });
      expect(disabled.status).toBe(200);

      await expectRefused(user.accessToken);
      before = await counts();
    });

    it('refuses a token in the URL query string, even beside a valid header', async () => {
      const token = agency.users.responder.accessToken;
      for (const query of [`access_token=${token}`, `token=${token}`, `q=${token}`]) {
        const bare = await request(`${api.url}/api/me?${query}`);
        const withHeader = await request(`${api.url}/api/me?${query}`, { token });
        expect(bare.status).toBe(401);
        expect(withHeader.status).toBe(401);
        expect(withHeader.body.code).toBe('auth.token_in_url');
      }
    });

    it('refuses a missing or malformed Authorization header', async () => {
      const token = agency.users.responder.accessToken;
      for (const authorization of ['', 'Bearer', `Basic ${token}`, `Bearer  ${token}`, token]) {
        const response = await request(`${api.url}/api/me`, { headers: { authorization } });
        expect(response.status).toBe(401);
      }
    });

    it('changed nothing while refusing', async () => {
      expect(await counts()).toEqual(before);
      expect(
        (await request(`${api.url}/api/me`, { token: agency.users.responder.accessToken })).status,
      ).toBe(200);
    });
  });
});
