import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import type { EntityManager } from 'typeorm';
import { RefreshTokenEntity, SessionEntity } from './entities';

/** 256 random bits, base64url: what a refresh or invitation token looks like. */
export const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');

  return { token, hash: hashOpaqueToken(token) };
}

/** Opaque tokens carry 256 bits of entropy, so a plain SHA-256 is enough to store them. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ClientContext {
  address: string;
  userAgent: string | undefined;
}

/**
 * Sessions and their refresh tokens, always inside the caller's transaction. A session is
 * one login; every refresh token descending from it belongs to it, so revoking the session
 * ends the whole family.
 */
@Injectable()
export class Sessions {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async open(
    tx: EntityManager,
    userId: string,
    client: ClientContext,
  ): Promise<{ session: SessionEntity; refreshToken: string; refreshExpiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.config.identity.refreshTokenTtlDays * 86_400_000);
    const session = tx.create(SessionEntity, {
      userId,
      expiresAt,
      revokedAt: null,
      revokedReason: null,
      userAgent: client.userAgent?.slice(0, 256) ?? null,
      address: client.address,
    });
    await tx.insert(SessionEntity, session);
    const { refreshToken, refreshExpiresAt } = await this.issueRefreshToken(tx, session);

    return { session, refreshToken, refreshExpiresAt };
  }

  /** A new refresh token in the session; it expires with the session. */
  async issueRefreshToken(
    tx: EntityManager,
    session: Pick<SessionEntity, 'id' | 'expiresAt'>,
  ): Promise<{ refreshToken: string; refreshExpiresAt: Date }> {
    const { token, hash } = newOpaqueToken();
    await tx.insert(RefreshTokenEntity, {
      sessionId: session.id,
      tokenHash: hash,
      expiresAt: session.expiresAt,
    });

    return { refreshToken: token, refreshExpiresAt: session.expiresAt };
  }

  /** Ends one session; true when it was still open. */
  async revoke(tx: EntityManager, sessionId: string, reason: string): Promise<boolean> {
    const [, count] = (await tx.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
        WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
      [sessionId, reason],
    )) as [unknown[], number];

    return count > 0;
  }

  /** Ends every open session of a user (but `keep`); returns the ids ended. */
  async revokeAllOf(
    tx: EntityManager,
    userId: string,
    reason: string,
    keep?: string,
  ): Promise<string[]> {
    const [rows] = (await tx.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)
        RETURNING id`,
      [userId, reason, keep ?? null],
    )) as [{ id: string }[], number];

    return rows.map((row) => row.id);
  }
}
