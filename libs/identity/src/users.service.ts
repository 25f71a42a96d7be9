import { Inject, Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { DomainError } from '@tocsin/common';
import type { CreatedUserView, MeView, UserRole, UserView } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import type { EntityManager } from 'typeorm';
import { AgenciesService } from './agencies.service';
import { normalizeEmail } from './emails';
import { InvitationEntity, UserEntity } from './entities';
import { IdentityEvents } from './identity-events';
import { IdentityPolicy, userNotFound } from './identity.policy';
import { Passwords } from './passwords';
import { hashOpaqueToken, newOpaqueToken, OPAQUE_TOKEN, Sessions } from './sessions';
import { toAgencyView, toUserView } from './views';

export interface NewUser {
  email: string;
  displayName: string;
  role: UserRole;
  password?: string;
}

export interface UserChanges {
  displayName?: string;
  role?: UserRole;
}

/** Users of an agency: creation (with a password or an invitation), roles, disabling. */
@Injectable()
export class UsersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectEntityManager() private readonly manager: EntityManager,
    private readonly policy: IdentityPolicy,
    private readonly agencies: AgenciesService,
    private readonly passwords: Passwords,
    private readonly sessions: Sessions,
    private readonly audit: AuditService,
    private readonly events: IdentityEvents,
  ) {}

  async create(principal: Principal, agencyId: string, input: NewUser): Promise<CreatedUserView> {
    this.policy.assertCanManageUsers(principal, agencyId);
    await this.agencies.load(agencyId);
    const email = normalizeEmail(input.email);
    if (input.password !== undefined) this.passwords.assertAcceptable(input.password, email);
    await this.assertEmailFree(email);
    const passwordHash = input.password ? await this.passwords.hash(input.password) : null;

    const invitation = passwordHash ? undefined : newOpaqueToken();
    const invitationExpiresAt = new Date(
      Date.now() + this.config.identity.invitationTtlHours * 3_600_000,
    );
    const user = await this.manager.transaction(async (tx) => {
      const created = tx.create(UserEntity, {
        agencyId,
        email,
        displayName: input.displayName.trim(),
        role: input.role,
        isOperator: false,
        passwordHash,
        // A password chosen by an administrator is one the user must replace.
        mustChangePassword: passwordHash !== null,
        disabledAt: null,
      });
      await tx.insert(UserEntity, created);
      if (invitation) {
        await tx.insert(InvitationEntity, {
          userId: created.id,
          tokenHash: invitation.hash,
          createdBy: principal.userId,
          expiresAt: invitationExpiresAt,
        });
      }
      await this.audit.record(tx, {
        agencyId,
        actorId: principal.userId,
        action: 'user.created',
        targetType: 'user',
        targetId: created.id,
        data: { email, role: input.role, invited: invitation !== undefined },
      });

      return tx.findOneByOrFail(UserEntity, { id: created.id });
    });

    return {
      user: toUserView(user, passwordHash !== null),
      ...(invitation
        ? {
            invitation: {
              token: invitation.token,
              // In the fragment, so the token never reaches a server log or a Referer.
              url: `${this.publicUrl()}/invitation#token=${invitation.token}`,
              expiresAt: invitationExpiresAt.toISOString(),
            },
          }
        : {}),
    };
  }

  /** Sets the first password from an invitation token. Public: the token is the proof. */
  async acceptInvitation(token: unknown, password: string): Promise<void> {
    const invalid = new DomainError(
      'invalid',
      'invitation.invalid',
      'this invitation is invalid, used or expired',
    );
    if (typeof token !== 'string' || !OPAQUE_TOKEN.test(token)) throw invalid;

    const accepted = await this.manager.transaction(async (tx) => {
      const invitation = await tx
        .createQueryBuilder(InvitationEntity, 'i')
        .setLock('pessimistic_write')
        .where('i.tokenHash = :hash', { hash: hashOpaqueToken(token) })
        .getOne();
      if (!invitation || invitation.usedAt || invitation.expiresAt.getTime() <= Date.now()) {
        return undefined;
      }
      const user = await tx.findOneBy(UserEntity, { id: invitation.userId });
      if (!user || user.disabledAt) return undefined;
      this.passwords.assertAcceptable(password, user.email);

      await tx.update(InvitationEntity, { id: invitation.id }, { usedAt: new Date() });
      await tx.update(
        UserEntity,
        { id: user.id },
        { passwordHash: await this.passwords.hash(password), mustChangePassword: false },
      );
      await this.audit.record(tx, {
        agencyId: user.agencyId,
        actorId: user.id,
        action: 'user.invitation_accepted',
        targetType: 'user',
        targetId: user.id,
      });

      return user;
    });
    if (!accepted) throw invalid;
  }

  async list(principal: Principal, agencyId: string): Promise<UserView[]> {
    this.policy.assertCanListUsers(principal, agencyId);
    await this.agencies.load(agencyId);

    const users = await this.manager
      .createQueryBuilder(UserEntity, 'u')
      .where('u.agencyId = :agencyId', { agencyId })
      .orderBy('u.displayName', 'ASC')
      .getMany();
    const withPassword = await this.idsWithPassword(users.map((user) => user.id));

    return users.map((user) => toUserView(user, withPassword.has(user.id)));
  }

  async get(principal: Principal, userId: string): Promise<UserView> {
    const user = await this.load(userId);
    this.policy.assertCanViewUser(principal, user);

    return toUserView(user, (await this.idsWithPassword([user.id])).has(user.id));
  }

  async me(principal: Principal): Promise<MeView> {
    const user = await this.load(principal.userId);
    const agency = await this.agencies.load(user.agencyId);

    return { ...toUserView(user, true), agency: toAgencyView(agency) };
  }

  async update(principal: Principal, userId: string, changes: UserChanges): Promise<UserView> {
    const user = await this.load(userId);
    if (changes.role !== undefined && changes.role !== user.role) {
      this.policy.assertCanManageUser(principal, user);
    } else {
      this.policy.assertCanRenameUser(principal, user);
    }

    const updated = await this.manager.transaction(async (tx) => {
      const fields: Partial<UserEntity> = { updatedAt: new Date() };
      if (changes.displayName !== undefined) fields.displayName = changes.displayName.trim();
      if (changes.role !== undefined) fields.role = changes.role;
      await tx.update(UserEntity, { id: user.id }, fields);
      if (changes.role !== undefined && changes.role !== user.role) {
        await this.record(tx, principal, user, 'user.role_changed', {
          from: user.role,
          to: changes.role,
        });
      }
      if (changes.displayName !== undefined && changes.displayName.trim() !== user.displayName) {
        await this.record(tx, principal, user, 'user.renamed', {});
      }

      return tx.findOneByOrFail(UserEntity, { id: user.id });
    });

    this.emitChanged(updated);

    return this.get(principal, updated.id);
  }

  /** Disables (every session ends at once) or enables a user. */
  async setDisabled(principal: Principal, userId: string, disabled: boolean): Promise<UserView> {
    const user = await this.load(userId);
    this.policy.assertCanManageUser(principal, user);
    if ((user.disabledAt !== null) === disabled) return this.get(principal, user.id);

    const ended = await this.manager.transaction(async (tx) => {
      await tx.update(
        UserEntity,
        { id: user.id },
        { disabledAt: disabled ? new Date() : null, updatedAt: new Date() },
      );
      const sessionIds = disabled ? await this.sessions.revokeAllOf(tx, user.id, 'disabled') : [];
      await this.record(tx, principal, user, disabled ? 'user.disabled' : 'user.enabled', {
        sessionsEnded: sessionIds.length,
      });

      return sessionIds;
    });

    const updated = await this.load(user.id);
    this.emitChanged(updated);
    for (const sessionId of ended) {
      this.events.emit('session.ended', { userId: user.id, sessionId, reason: 'disabled' });
    }

    return this.get(principal, user.id);
  }

  /** The caller changes their own password; their other sessions end. */
  async changeOwnPassword(principal: Principal, current: string, next: string): Promise<void> {
    const user = await this.manager
      .createQueryBuilder(UserEntity, 'u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: principal.userId })
      .getOne();
    if (!user) throw userNotFound();
    if (!(await this.passwords.verify(user.passwordHash, current))) {
      throw new DomainError('forbidden', 'password.wrong', 'the current password is wrong');
    }
    this.passwords.assertAcceptable(next, user.email);
    if (current === next) {
      throw new DomainError('invalid', 'password.unchanged', 'choose a different password');
    }
    const hash = await this.passwords.hash(next);

    const ended = await this.manager.transaction(async (tx) => {
      await tx.update(
        UserEntity,
        { id: user.id },
        { passwordHash: hash, mustChangePassword: false, updatedAt: new Date() },
      );
      const sessionIds = await this.sessions.revokeAllOf(
        tx,
        user.id,
        'password_changed',
        principal.sessionId,
      );
      await this.record(tx, principal, user, 'user.password_changed', {
        sessionsEnded: sessionIds.length,
      });

      return sessionIds;
    });

    for (const sessionId of ended) {
      this.events.emit('session.ended', { userId: user.id, sessionId, reason: 'password_changed' });
    }
  }

  /** The user, or 404. Never called with an empty id. */
  async load(userId: string, manager = this.manager): Promise<UserEntity> {
    if (!userId) throw userNotFound();
    const user = await manager.findOneBy(UserEntity, { id: userId });
    if (!user) throw userNotFound();

    return user;
  }

  private async idsWithPassword(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = (await this.manager.query(
      'SELECT id FROM users WHERE id = ANY($1::uuid[]) AND password_hash IS NOT NULL',
      [ids],
    )) as { id: string }[];

    return new Set(rows.map((row) => row.id));
  }

  private async assertEmailFree(email: string): Promise<void> {
    if (await this.manager.existsBy(UserEntity, { email })) {
      throw new DomainError('conflict', 'user.email_taken', 'a user has that email');
    }
  }

  private record(
    tx: EntityManager,
    principal: Principal,
    user: UserEntity,
    action: string,
    data: Record<string, unknown>,
  ): Promise<unknown> {
    return this.audit.record(tx, {
      agencyId: user.agencyId,
      actorId: principal.userId,
      action,
      targetType: 'user',
      targetId: user.id,
      data,
    });
  }

  private emitChanged(user: UserEntity): void {
    this.events.emit('user.changed', {
      userId: user.id,
      agencyId: user.agencyId,
      disabled: user.disabledAt !== null,
      role: user.role,
    });
  }

  private publicUrl(): string {
    return this.config.http.publicUrl ?? `http://localhost:${this.config.http.port}`;
  }
}
