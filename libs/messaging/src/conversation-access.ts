import { Injectable } from '@nestjs/common';
import type { Principal } from '@tocsin/http';
import type { EntityManager } from 'typeorm';
import { ConversationStore } from './conversation-store';
import { messagingErrors } from './errors';
import { MembershipService } from './membership.service';
import type { ConversationRecord, MemberRecord } from './records';

export interface MemberAccess {
  conversation: ConversationRecord;
  member: MemberRecord;
}

/**
 * The one membership check of every chat route and socket event: a conversation the caller
 * never belonged to does not exist for them (404, whatever agency it is in); a former member
 * is refused (403). Incident conversations take in late recipients of their alert lazily.
 */
@Injectable()
export class ConversationAccess {
  constructor(
    private readonly store: ConversationStore,
    private readonly membership: MembershipService,
  ) {}

  async member(
    manager: EntityManager,
    principal: Principal,
    conversationId: string,
    lock = false,
  ): Promise<MemberAccess> {
    let conversation = await this.store.find(manager, conversationId, lock);
    if (!conversation) throw messagingErrors.conversationNotFound();
    let member = await this.store.member(manager, conversationId, principal.userId);

    const alertId = conversation.alertId;
    if (!member && conversation.kind === 'incident' && alertId) {
      if (!lock) conversation = (await this.store.find(manager, conversationId, true))!;
      const eligible = await incidentMemberIds(manager, alertId, conversation.agencyId);
      if (eligible.includes(principal.userId)) {
        await this.membership.add(manager, conversation, [principal.userId], principal.userId);
        member = await this.store.member(manager, conversationId, principal.userId);
      }
    }
    if (!member) throw messagingErrors.conversationNotFound();
    if (member.leftSeq !== null) throw messagingErrors.formerMember();

    return { conversation, member };
  }
}

/** An alert's recipients and its agency's enabled dispatchers and admins. */
export async function incidentMemberIds(
  manager: EntityManager,
  alertId: string,
  agencyId: string,
): Promise<string[]> {
  const rows = (await manager.query(
    `SELECT r.user_id AS id FROM alert_recipients r JOIN users u ON u.id = r.user_id
      WHERE r.alert_id = $1 AND u.disabled_at IS NULL
     UNION
     SELECT id FROM users
      WHERE agency_id = $2 AND role IN ('admin', 'dispatcher') AND disabled_at IS NULL`,
    [alertId, agencyId],
  )) as { id: string }[];

  return rows.map((row) => row.id);
}
