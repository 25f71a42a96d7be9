import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { DomainError } from '@tocsin/common';
import { preparedQuery } from '@tocsin/database';
import type { Principal, SignedCaller } from '@tocsin/http';
import jwt from 'jsonwebtoken';
import type { EntityManager } from 'typeorm';
import { parseCompactHeader } from './compact-jws';
import {
  admitLiveSession,
  LIVE_SESSION_COLUMNS,
  LIVE_SESSION_CONDITIONS,
  principalOf,
  sessionEnded,
  type LiveSessionRow,
} from './live-session';
import { LookupBatcher } from './lookup-batcher';
import { SigningKeys } from './signing-keys';
import { VerifiedTokens } from './verified-tokens';

/** The token-type claim of an access token; refresh and invitation tokens never carry it. */
export const ACCESS_TOKEN_TYPE = 'access';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Tokens whose signature is remembered: about 1 KB each, so a few MB at most. */
const VERIFIED_TOKENS = 4096;

interface AccessClaims {
  typ: string;
  sid: string;
  sub: string;
  jti: string;
  exp: number;
  iat: number;
}

/**
 * Issues and verifies access tokens (RFC 8725): ES256 only, `kid` of a key we hold, issuer,
 * audience, expiry and not-before checked, token type `access`. A valid signature is not
 * enough: the session must be live and the user enabled at this moment, and the role is
 * read from the database, so logout, disabling and role changes take effect at once.
 * HTTP and the socket handshake both call {@link verify}.
 */
@Injectable()
export class AccessTokenService {
  // A client sends the same token on every request until it expires: ES256 once per token.
  private readonly verified = new VerifiedTokens<AccessClaims>(VERIFIED_TOKENS, (kid) =>
    this.keys.verificationKey(kid),
  );

  // A reconnect storm sends thousands of handshakes (then list fetches) at once: their session
  // checks go to PostgreSQL together, one query per batch instead of one per token.
  private readonly liveSessions = new LookupBatcher<string, LiveSessionRow>((keys) =>
    this.readLiveSessions(keys),
  );

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: SigningKeys,
    @InjectEntityManager() private readonly manager: EntityManager,
  ) {}

  issue(userId: string, sessionId: string): { token: string; expiresIn: number } {
    const { kid, privateKey } = this.keys.signingKey();
    const { issuer, audience, accessTokenTtlSeconds } = this.config.identity.jwt;
    const token = jwt.sign({ typ: ACCESS_TOKEN_TYPE, sid: sessionId }, privateKey, {
      algorithm: 'ES256',
      keyid: kid,
      header: { alg: 'ES256', typ: 'at+jwt' },
      issuer,
      audience,
      subject: userId,
      jwtid: randomUUID(),
      expiresIn: accessTokenTtlSeconds,
    });

    return { token, expiresIn: accessTokenTtlSeconds };
  }

  /** The principal behind a token, or a 401 `DomainError`; nothing is changed either way. */
  async verify(token: unknown): Promise<Principal> {
    const claims = this.verifySignedClaims(token);

    const live = await this.liveSessions.get(sessionKey(claims.sid, claims.sub));
    if (!live) throw sessionEnded();

    return principalOf(live);
  }

  /**
   * Who a token names, checking only its signature and claims (a 401 otherwise): for routes
   * whose own statement then checks the session (`liveSessionSql`), never on its own.
   */
  verifySignature(token: unknown): SignedCaller {
    const claims = this.verifySignedClaims(token);

    return { userId: claims.sub, sessionId: claims.sid };
  }

  /**
   * The principal of a caller whose token only {@link verifySignature} checked, refused as the
   * guard refuses on a route open to every role: 401 when the session is not live, 403 while
   * the password is temporary.
   */
  async admit(caller: SignedCaller): Promise<Principal> {
    const live = await this.liveSessions.get(sessionKey(caller.sessionId, caller.userId));

    return admitLiveSession(live);
  }

  /** The live sessions among `keys` (session and user id): not revoked, unexpired, user enabled. */
  private async readLiveSessions(keys: string[]): Promise<Map<string, LiveSessionRow>> {
    const pairs = keys.map((key) => key.split(':'));
    // Prepared: parsed and planned once per connection, whatever the number of keys.
    const rows = await preparedQuery<LiveSessionRow>(
      this.manager,
      `SELECT ${LIVE_SESSION_COLUMNS}
         FROM unnest($1::uuid[], $2::uuid[]) AS asked(sid, sub)
         JOIN sessions s ON s.id = asked.sid AND s.user_id = asked.sub
         JOIN users u ON u.id = s.user_id
        WHERE ${LIVE_SESSION_CONDITIONS}`,
      [pairs.map(([sid]) => sid), pairs.map(([, sub]) => sub)],
    );

    return new Map(rows.map((row) => [sessionKey(row.sid, row.sub), row]));
  }

  private verifySignedClaims(token: unknown): AccessClaims {
    if (typeof token !== 'string') throw invalidToken();
    const remembered = this.verified.get(token);
    if (remembered) return remembered;

    const header = parseCompactHeader(token);
    if (!header) throw invalidToken();
    const key = this.keys.verificationKey(header.kid);
    if (!key) throw invalidToken();

    const { issuer, audience } = this.config.identity.jwt;
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, { algorithms: ['ES256'], issuer, audience });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) {
        throw invalidToken('auth.token_expired', 'the access token has expired');
      }
      throw invalidToken();
    }

    if (typeof payload === 'string' || !isAccessClaims(payload)) throw invalidToken();
    this.verified.remember(token, header.kid, key, payload);

    return payload;
  }
}

function isAccessClaims(payload: jwt.JwtPayload): payload is jwt.JwtPayload & AccessClaims {
  return (
    payload.typ === ACCESS_TOKEN_TYPE &&
    typeof payload.sub === 'string' &&
    UUID.test(payload.sub) &&
    typeof payload.sid === 'string' &&
    UUID.test(payload.sid) &&
    typeof payload.jti === 'string' &&
    payload.jti.length > 0 &&
    typeof payload.exp === 'number' &&
    typeof payload.iat === 'number'
  );
}

/** Both ids are checked UUIDs, so a colon cannot be part of either. */
function sessionKey(sessionId: string, userId: string): string {
  return `${sessionId}:${userId}`;
}

function invalidToken(code = 'auth.invalid_token', message = 'invalid access token'): DomainError {
  return new DomainError('unauthenticated', code, message);
}
