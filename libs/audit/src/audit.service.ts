import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { DomainError } from '@tocsin/common';
import type { AuditEventView, AuditPage, AuditVerification } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { verifyAuditChains } from './audit-chain';
import { AuditEventEntity } from './audit-event.entity';
import { auditEventHash, GENESIS_HASH } from './audit-hash';

/** What a library hands to {@link AuditService.record}. */
export interface AuditInput {
  /** The agency whose log holds the event; null for events outside any agency. */
  agencyId: string | null;
  actorId: string | null;
  /** Dotted and stable: `auth.login`, `user.role_changed`, `group.member_added`. */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  /** Context safe to keep forever: never a password, token or message body. */
  data?: Record<string, unknown>;
}

export interface AuditFilters {
  action?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  order: 'asc' | 'desc';
  cursor?: string;
  limit: number;
}

/** The chain of events outside any agency (failed logins for unknown accounts, for instance). */
export const PLATFORM_CHAIN = 'platform';

/** Arbitrary constant: the advisory-lock namespace of audit appends. */
const LOCK_NAMESPACE = 0x70c5;

@Injectable()
export class AuditService {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  /**
   * Appends an event in the caller's transaction, so it commits or rolls back with the
   * change it describes. Appends to one chain are serialised by a transaction-scoped
   * advisory lock, which keeps the chain linear across connections and processes.
   */
  async record(manager: EntityManager, input: AuditInput): Promise<AuditEventEntity> {
    if (!manager.queryRunner?.isTransactionActive) {
      return manager.transaction((tx) => this.append(tx, input));
    }

    return this.append(manager, input);
  }

  private async append(manager: EntityManager, input: AuditInput): Promise<AuditEventEntity> {
    const chain = input.agencyId ?? PLATFORM_CHAIN;
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, chain]);

    const last = (await manager.query(
      'SELECT hash FROM audit_events WHERE chain = $1 ORDER BY seq DESC LIMIT 1',
      [chain],
    )) as { hash: string }[];
    const event = manager.create(AuditEventEntity, {
      id: randomUUID(),
      chain,
      agencyId: input.agencyId,
      actorId: input.actorId,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      // Through JSON once, so what is hashed is exactly what jsonb gives back.
      data: JSON.parse(JSON.stringify(input.data ?? {})) as Record<string, unknown>,
      createdAt: new Date(),
      prevHash: last[0]?.hash ?? GENESIS_HASH,
    });
    event.hash = auditEventHash(event);

    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditEventEntity)
      .values(event as QueryDeepPartialEntity<AuditEventEntity>)
      .execute();

    return event;
  }

  /** An agency's events for its administrators; the operator also sees the platform chain. */
  async list(principal: Principal, filters: AuditFilters): Promise<AuditPage> {
    this.assertCanRead(principal);

    const query = this.manager
      .createQueryBuilder(AuditEventEntity, 'e')
      .where('e.chain IN (:...chains)', { chains: this.chainsOf(principal) });
    if (filters.action) query.andWhere('e.action = :action', { action: filters.action });
    if (filters.actorId) query.andWhere('e.actorId = :actorId', { actorId: filters.actorId });
    if (filters.from) query.andWhere('e.createdAt >= :from', { from: filters.from });
    if (filters.to) query.andWhere('e.createdAt < :to', { to: filters.to });
    if (filters.cursor) {
      const op = filters.order === 'asc' ? '>' : '<';
      query.andWhere(`e.seq ${op} :cursor`, { cursor: parseCursor(filters.cursor) });
    }
    const rows = await query
      .orderBy('e.seq', filters.order === 'asc' ? 'ASC' : 'DESC')
      .limit(filters.limit + 1)
      .getMany();

    const items = rows.slice(0, filters.limit);
    const nextCursor = rows.length > filters.limit ? items[items.length - 1].seq : null;

    return { items: items.map(toView), nextCursor };
  }

  /** Verifies the caller's chains (the operator: every chain). */
  async verify(principal: Principal): Promise<AuditVerification> {
    this.assertCanRead(principal);

    return verifyAuditChains(
      this.manager,
      principal.isOperator ? undefined : this.chainsOf(principal),
    );
  }

  /** The one authorization rule of the audit log: agency administrators only. */
  private assertCanRead(principal: Principal): void {
    if (principal.role !== 'admin') {
      throw new DomainError(
        'forbidden',
        'audit.forbidden',
        'only administrators read the audit log',
      );
    }
  }

  private chainsOf(principal: Principal): string[] {
    return principal.isOperator ? [principal.agencyId, PLATFORM_CHAIN] : [principal.agencyId];
  }
}

function parseCursor(cursor: string): string {
  if (!/^[1-9]\d{0,17}$/.test(cursor)) {
    throw new DomainError('invalid', 'audit.bad_cursor', 'cursor is not one this API returned');
  }

  return cursor;
}

function toView(event: AuditEventEntity): AuditEventView {
  return {
    id: event.id,
    seq: event.seq,
    agencyId: event.agencyId,
    actorId: event.actorId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    data: event.data,
    createdAt: event.createdAt.toISOString(),
    hash: event.hash,
  };
}
