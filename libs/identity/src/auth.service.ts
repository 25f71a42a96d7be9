import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { DomainError } from '@tocsin/common';
import type { TokenPair } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import type { EntityManager } from 'typeorm';
import { normalizeEmail } from './emails';
import { UserEntity } from './entities';
import { IdentityEvents } from './identity-events';
import { LoginThrottle } from './login-throttle';
import { Passwords } from './passwords';
import { hashOpaqueToken, OPAQUE_TOKEN, Sessions, type ClientContext } from './sessions';
import { AccessTokenService } from './tokens/access-token.service';

interface RefreshRow {
  token_id: string;
  session_id: string;
  used_at: Date | null;
  token_expires_at: Date;
  session_expires_at: Date;
  revoked_at: Date | null;
  user_id: string;
  agency_id: string;
  disabled_at: Date | null;
}

type RefreshOutcome =
  | { kind: 'ok'; pair: TokenPair }
  | { kind: 'reused'; userId: string; sessionId: string }
  | { kind: 'refused' };

const BAD_CREDENTIALS = 'invalid email or password';

/** Login, refresh-token rotation with reuse detection, and logout. */
@Injectable()
export class AuthService {
  constructor(
    @InjectEntityManager() private readonly manager: EntityManager,
    private readonly passwords: Passwords,
    private readonly throttle: LoginThrottle,
    private readonly sessions: Sessions,
    private readonly accessTokens: AccessTokenService,
    private readonly audit: AuditService,
    private readonly events: IdentityEvents,
  ) {}

  async login(emailInput: string, password: string, client: ClientContext): Promise<TokenPair> {
    const email = normalizeEmail(emailInput);
    await this.throttle.assertAllowed(email, client.address);

    const user = await this.manager
      .createQueryBuilder(UserEntity, 'u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne();
    const passwordOk = await this.passwords.verify(user?.passwordHash, password);

    const failure = !user
      ? 'unknown_account'
      : !passwordOk
        ? 'bad_password'
        : user.disabledAt
          ? 'disabled'
          : undefined;
    if (failure || !user) {
      await this.throttle.recordFailure(email, client.address);
      await this.audit.record(this.manager, {
        agencyId: user?.agencyId ?? null,
        actorId: user?.id ?? null,
        action: 'auth.login_failed',
        targetType: 'user',
        targetId: user?.id ?? null,
        data: { email, address: client.address, reason: failure },
      });
      throw new DomainError('unauthenticated', 'auth.bad_credentials', BAD_CREDENTIALS);
    }

    await this.throttle.recordSuccess(email);
    const opened = await this.manager.transaction(async (tx) => {
      const result = await this.sessions.open(tx, user.id, client);
      await this.audit.record(tx, {
        agencyId: user.agencyId,
        actorId: user.id,
        action: 'auth.login',
        targetType: 'session',
        targetId: result.session.id,
        data: { address: client.address },
      });

      return result;
    });

    return this.pair(user.id, opened.session.id, opened.refreshToken, opened.refreshExpiresAt);
  }

  /**
   * Trades a refresh token for a new pair; the old one is spent. A spent token presented
   * again means it was stolen or replayed: the whole session is revoked.
   */
  async refresh(refreshToken: unknown): Promise<TokenPair> {
    if (typeof refreshToken !== 'string' || !OPAQUE_TOKEN.test(refreshToken)) {
      throw refused();
    }
    const tokenHash = hashOpaqueToken(refreshToken);

    const outcome = await this.manager.transaction(async (tx): Promise<RefreshOutcome> => {
      const [row] = (await tx.query(
        `SELECT rt.id AS token_id, rt.session_id, rt.used_at, rt.expires_at AS token_expires_at,
                s.expires_at AS session_expires_at, s.revoked_at, s.user_id,
                u.agency_id, u.disabled_at
           FROM refresh_tokens rt
           JOIN sessions s ON s.id = rt.session_id
           JOIN users u ON u.id = s.user_id
          WHERE rt.token_hash = $1
          FOR UPDATE OF rt, s`,
        [tokenHash],
      )) as RefreshRow[];
      if (!row || row.revoked_at) return { kind: 'refused' };

      if (row.used_at) {
        await this.sessions.revoke(tx, row.session_id, 'refresh_reuse');
        await this.audit.record(tx, {
          agencyId: row.agency_id,
          actorId: row.user_id,
          action: 'auth.refresh_reused',
          targetType: 'session',
          targetId: row.session_id,
        });

        return { kind: 'reused', userId: row.user_id, sessionId: row.session_id };
      }
      const now = Date.now();
      if (
        row.disabled_at ||
        row.token_expires_at.getTime() <= now ||
        row.session_expires_at.getTime() <= now
      ) {
        return { kind: 'refused' };
      }

      await tx.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [row.token_id]);
      const next = await this.sessions.issueRefreshToken(tx, {
        id: row.session_id,
        expiresAt: row.session_expires_at,
      });

      return {
        kind: 'ok',
        pair: this.pair(row.user_id, row.session_id, next.refreshToken, next.refreshExpiresAt),
      };
    });

    switch (outcome.kind) {
      case 'ok':
        return outcome.pair;
      case 'reused':
        this.events.emit('session.ended', {
          userId: outcome.userId,
          sessionId: outcome.sessionId,
          reason: 'refresh_reuse',
        });
        throw new DomainError(
          'unauthenticated',
          'auth.refresh_reused',
          'this refresh token was already used; the session has been ended',
        );
      case 'refused':
        throw refused();
    }
  }

  /** Ends the caller's session: its access and refresh tokens stop working at once. */
  async logout(principal: Principal): Promise<void> {
    const ended = await this.manager.transaction(async (tx) => {
      const changed = await this.sessions.revoke(tx, principal.sessionId, 'logout');
      if (changed) {
        await this.audit.record(tx, {
          agencyId: principal.agencyId,
          actorId: principal.userId,
          action: 'auth.logout',
          targetType: 'session',
          targetId: principal.sessionId,
        });
      }

      return changed;
    });

    if (ended) {
      this.events.emit('session.ended', {
        userId: principal.userId,
        sessionId: principal.sessionId,
        reason: 'logout',
      });
    }
  }

  private pair(
    userId: string,
    sessionId: string,
    refreshToken: string,
    refreshExpiresAt: Date,
  ): TokenPair {
    const access = this.accessTokens.issue(userId, sessionId);

    return {
      accessToken: access.token,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      refreshExpiresAt: refreshExpiresAt.toISOString(),
    };
  }
}

function refused(): DomainError {
  return new DomainError('unauthenticated', 'auth.invalid_refresh_token', 'invalid refresh token');
}
