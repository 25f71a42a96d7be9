import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import type { MessagingPolicyView } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import type { EntityManager } from 'typeorm';
import { messagingErrors } from './errors';

interface PolicyRow {
  allow_direct: boolean;
  allow_interagency: boolean;
  new_members_see_history: boolean;
  retention_days: number | null;
}

/** What an agency without a stored policy gets: everything allowed, messages kept forever. */
export const DEFAULT_POLICY: Omit<MessagingPolicyView, 'agencyId'> = {
  allowDirect: true,
  allowInteragency: true,
  newMembersSeeHistory: true,
  retentionDays: null,
};

/** Each agency's chat policy: direct and interagency chats, history for newcomers, retention. */
@Injectable()
export class MessagingPolicyService {
  constructor(
    @InjectEntityManager() private readonly manager: EntityManager,
    private readonly audit: AuditService,
  ) {}

  async of(agencyId: string, manager = this.manager): Promise<MessagingPolicyView> {
    const rows = (await manager.query(
      `SELECT allow_direct, allow_interagency, new_members_see_history, retention_days
         FROM messaging_policies WHERE agency_id = $1`,
      [agencyId],
    )) as PolicyRow[];
    const row = rows[0];
    if (!row) return { agencyId, ...DEFAULT_POLICY };

    return {
      agencyId,
      allowDirect: row.allow_direct,
      allowInteragency: row.allow_interagency,
      newMembersSeeHistory: row.new_members_see_history,
      retentionDays: row.retention_days,
    };
  }

  async get(principal: Principal): Promise<MessagingPolicyView> {
    assertAdmin(principal);

    return this.of(principal.agencyId);
  }

  async update(
    principal: Principal,
    changes: Partial<Omit<MessagingPolicyView, 'agencyId'>>,
  ): Promise<MessagingPolicyView> {
    assertAdmin(principal);

    return this.manager.transaction(async (tx) => {
      // A DTO carries absent fields as undefined: they keep their stored value.
      const given = Object.fromEntries(
        Object.entries(changes).filter(([, value]) => value !== undefined),
      );
      const next = { ...(await this.of(principal.agencyId, tx)), ...given };
      await tx.query(
        `INSERT INTO messaging_policies (agency_id, allow_direct, allow_interagency,
                new_members_see_history, retention_days, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         ON CONFLICT (agency_id) DO UPDATE SET allow_direct = EXCLUDED.allow_direct,
           allow_interagency = EXCLUDED.allow_interagency,
           new_members_see_history = EXCLUDED.new_members_see_history,
           retention_days = EXCLUDED.retention_days, updated_by = EXCLUDED.updated_by,
           updated_at = now()`,
        [
          principal.agencyId,
          next.allowDirect,
          next.allowInteragency,
          next.newMembersSeeHistory,
          next.retentionDays,
          principal.userId,
        ],
      );
      await this.audit.record(tx, {
        agencyId: principal.agencyId,
        actorId: principal.userId,
        action: 'messaging.policy_changed',
        targetType: 'agency',
        targetId: principal.agencyId,
        data: { ...next },
      });

      return next;
    });
  }
}

export function assertAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw messagingErrors.archiveForbidden();
}
