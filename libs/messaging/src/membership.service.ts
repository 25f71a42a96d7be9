import { Injectable } from '@nestjs/common';
import { AuditService } from '@tocsin/audit';
import { RealtimeService, rooms } from '@tocsin/realtime';
import type { EntityManager } from 'typeorm';
import { MembershipCache } from './membership-cache';
import { MessagingPolicyService } from './policy.service';
import type { ConversationRecord } from './records';

export interface MembershipChange {
  conversationId: string;
  added: string[];
  removed: string[];
}

/**
 * Adds and removes conversation members inside the caller's transaction (which holds the
 * conversation's row lock, so a removal takes effect between two messages: the member's
 * `left_seq` is the last seq they may ever see). `announce` moves sockets after the commit.
 */
@Injectable()
export class MembershipService {
  constructor(
    private readonly policies: MessagingPolicyService,
    private readonly realtime: RealtimeService,
    private readonly audit: AuditService,
    private readonly cache: MembershipCache,
  ) {}

  /**
   * Makes these users current members. A newcomer sees the history when their agency's
   * policy says so, otherwise only what is sent from now on (also after rejoining).
   */
  async add(
    manager: EntityManager,
    conversation: ConversationRecord,
    userIds: string[],
    actorId: string | null,
  ): Promise<string[]> {
    if (userIds.length === 0) return [];
    this.cache.changing(conversation.id);
    const users = (await manager.query(
      'SELECT id, agency_id FROM users WHERE id = ANY($1::uuid[]) AND disabled_at IS NULL',
      [userIds],
    )) as { id: string; agency_id: string }[];
    const added: string[] = [];
    const history = new Map<string, boolean>();
    for (const user of users) {
      if (!history.has(user.agency_id)) {
        const policy = await this.policies.of(user.agency_id, manager);
        history.set(user.agency_id, policy.newMembersSeeHistory);
      }
      const visibleFrom = history.get(user.agency_id) ? 1 : conversation.lastSeq + 1;
      const rows = (await manager.query(
        `INSERT INTO conversation_members
                (conversation_id, user_id, agency_id, joined_seq, visible_from_seq)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (conversation_id, user_id) DO UPDATE
            SET left_seq = NULL, left_at = NULL, joined_seq = EXCLUDED.joined_seq,
                visible_from_seq = EXCLUDED.visible_from_seq, joined_at = now()
          WHERE conversation_members.left_seq IS NOT NULL
         RETURNING user_id`,
        [conversation.id, user.id, user.agency_id, conversation.lastSeq, visibleFrom],
      )) as { user_id: string }[];
      if (rows.length > 0) added.push(user.id);
    }
    if (added.length > 0) {
      await this.audit.record(manager, {
        agencyId: conversation.agencyId,
        actorId,
        action: 'conversation.members_added',
        targetType: 'conversation',
        targetId: conversation.id,
        data: { userIds: added, atSeq: conversation.lastSeq },
      });
    }

    return added;
  }

  /** Ends these users' membership at the conversation's current seq. */
  async remove(
    manager: EntityManager,
    conversation: ConversationRecord,
    userIds: string[],
    actorId: string | null,
  ): Promise<string[]> {
    if (userIds.length === 0) return [];
    this.cache.changing(conversation.id);
    const rows = (await manager.query(
      `UPDATE conversation_members SET left_seq = $3, left_at = now()
        WHERE conversation_id = $1 AND user_id = ANY($2::uuid[]) AND left_seq IS NULL
        RETURNING user_id`,
      [conversation.id, userIds, conversation.lastSeq],
    )) as unknown[];
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as { user_id: string }[];
    const removed = list.map((row) => row.user_id);
    if (removed.length > 0) {
      await this.audit.record(manager, {
        agencyId: conversation.agencyId,
        actorId,
        action: 'conversation.members_removed',
        targetType: 'conversation',
        targetId: conversation.id,
        data: { userIds: removed, atSeq: conversation.lastSeq },
      });
    }

    return removed;
  }

  /** After the commit: sockets join or leave the conversation's room, and users are told. */
  announce(change: MembershipChange): void {
    this.cache.changed(change.conversationId);
    const room = rooms.conversation(change.conversationId);
    this.realtime.leaveRoom(change.removed, room);
    this.realtime.joinRoom(change.added, room);
    for (const userId of change.removed) {
      this.realtime.emitToUsers([userId], 'conversation.left', {
        conversationId: change.conversationId,
        userId,
      });
    }
    for (const userId of change.added) {
      this.realtime.emitToUsers([userId], 'conversation.joined', {
        conversationId: change.conversationId,
        userId,
      });
    }
  }
}
