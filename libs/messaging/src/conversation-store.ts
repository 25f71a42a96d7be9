import { Injectable } from '@nestjs/common';
import type { ConversationKind, ConversationView } from '@tocsin/contracts';
import type { EntityManager } from 'typeorm';
import { toConversationView, type ConversationRecord, type MemberRecord } from './records';

interface ConversationRow {
  id: string;
  kind: ConversationKind;
  agency_id: string;
  title: string | null;
  group_id: string | null;
  alert_id: string | null;
  last_seq: string;
  last_rev: string;
  created_at: Date;
}

interface MemberRow {
  user_id: string;
  agency_id: string;
  joined_seq: string;
  visible_from_seq: string;
  left_seq: string | null;
  delivered_seq: string;
  read_seq: string;
}

const CONVERSATION_COLUMNS =
  'id, kind, agency_id, title, group_id, alert_id, last_seq, last_rev, created_at';

export interface NewConversation {
  kind: ConversationKind;
  agencyId: string;
  title: string | null;
  groupId?: string | null;
  alertId?: string | null;
  directKey?: string | null;
  /** Null for a conversation another library opens for someone who is not a user. */
  createdBy: string | null;
}

/** The SQL of conversations and their members; every caller passes its transaction. */
@Injectable()
export class ConversationStore {
  async find(
    manager: EntityManager,
    id: string,
    lock = false,
  ): Promise<ConversationRecord | undefined> {
    const rows = (await manager.query(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    )) as ConversationRow[];

    return rows[0] && toRecord(rows[0]);
  }

  async findBy(
    manager: EntityManager,
    column: 'group_id' | 'alert_id' | 'direct_key',
    value: string,
  ): Promise<ConversationRecord | undefined> {
    const kindFilter = column === 'group_id' ? "AND kind = 'group'" : '';
    const rows = (await manager.query(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE ${column} = $1 ${kindFilter}`,
      [value],
    )) as ConversationRow[];

    return rows[0] && toRecord(rows[0]);
  }

  /** Inserts unless a conversation with the same group, alert or pair exists; undefined then. */
  async insert(manager: EntityManager, input: NewConversation): Promise<string | undefined> {
    const rows = (await manager.query(
      `INSERT INTO conversations (kind, agency_id, title, group_id, alert_id, direct_key, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        input.kind,
        input.agencyId,
        input.title,
        input.groupId ?? null,
        input.alertId ?? null,
        input.directKey ?? null,
        input.createdBy,
      ],
    )) as { id: string }[];

    return rows[0]?.id;
  }

  async member(
    manager: EntityManager,
    conversationId: string,
    userId: string,
  ): Promise<MemberRecord | undefined> {
    const rows = (await manager.query(
      `SELECT user_id, agency_id, joined_seq, visible_from_seq, left_seq, delivered_seq, read_seq
         FROM conversation_members WHERE conversation_id = $1 AND user_id = $2`,
      [conversationId, userId],
    )) as MemberRow[];

    return rows[0] && toMember(rows[0]);
  }

  /** Current members (not those who left). */
  async currentMembers(manager: EntityManager, conversationId: string): Promise<MemberRecord[]> {
    const rows = (await manager.query(
      `SELECT user_id, agency_id, joined_seq, visible_from_seq, left_seq, delivered_seq, read_seq
         FROM conversation_members WHERE conversation_id = $1 AND left_seq IS NULL
        ORDER BY user_id`,
      [conversationId],
    )) as MemberRow[];

    return rows.map(toMember);
  }

  /** Ids of the conversations each of these users is a current member of, by user. */
  async conversationIdsOfUsers(
    manager: EntityManager,
    userIds: string[],
  ): Promise<Map<string, string[]>> {
    const rows = (await manager.query(
      `SELECT user_id, conversation_id FROM conversation_members
        WHERE user_id = ANY($1::uuid[]) AND left_seq IS NULL`,
      [userIds],
    )) as { user_id: string; conversation_id: string }[];

    const byUser = new Map<string, string[]>();
    for (const row of rows) {
      const ids = byUser.get(row.user_id);
      if (ids) ids.push(row.conversation_id);
      else byUser.set(row.user_id, [row.conversation_id]);
    }

    return byUser;
  }

  /** Does the agency take part: it created the conversation or one of its users was a member. */
  async agencyTakesPart(
    manager: EntityManager,
    conversation: ConversationRecord,
    agencyId: string,
  ): Promise<boolean> {
    if (conversation.agencyId === agencyId) return true;
    const rows = (await manager.query(
      'SELECT 1 FROM conversation_members WHERE conversation_id = $1 AND agency_id = $2 LIMIT 1',
      [conversation.id, agencyId],
    )) as unknown[];

    return rows.length > 0;
  }

  async view(manager: EntityManager, conversation: ConversationRecord): Promise<ConversationView> {
    const [extra] = (await manager.query(
      `SELECT ARRAY(SELECT DISTINCT agency_id FROM conversation_members
                     WHERE conversation_id = $1)::text[] AS agencies,
              EXISTS (SELECT 1 FROM conversation_holds WHERE conversation_id = $1) AS held`,
      [conversation.id],
    )) as { agencies: string[]; held: boolean }[];

    return toConversationView(conversation, {
      archivingAgencyIds: extra.agencies,
      legalHold: extra.held,
    });
  }

  /** The caller's conversations with their receipts and unread counts, newest activity first. */
  async listFor(manager: EntityManager, userId: string): Promise<ConversationView[]> {
    const rows = (await manager.query(
      `SELECT c.id, c.kind, c.agency_id, c.title, c.group_id, c.alert_id, c.last_seq, c.last_rev,
              c.created_at, cm.delivered_seq, cm.read_seq, cm.visible_from_seq,
              ARRAY(SELECT DISTINCT agency_id FROM conversation_members a
                     WHERE a.conversation_id = c.id)::text[] AS agencies,
              EXISTS (SELECT 1 FROM conversation_holds h WHERE h.conversation_id = c.id) AS held,
              (SELECT count(*) FROM messages m
                WHERE m.conversation_id = c.id AND m.seq > cm.read_seq
                  AND m.seq >= cm.visible_from_seq AND m.deleted_at IS NULL
                  AND m.sender_id IS DISTINCT FROM cm.user_id)::int AS unread
         FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
        WHERE cm.user_id = $1 AND cm.left_seq IS NULL
        ORDER BY c.last_rev DESC, c.created_at DESC`,
      [userId],
    )) as (ConversationRow & {
      delivered_seq: string;
      read_seq: string;
      visible_from_seq: string;
      agencies: string[];
      held: boolean;
      unread: number;
    })[];

    return rows.map((row) => ({
      ...toConversationView(toRecord(row), {
        archivingAgencyIds: row.agencies,
        legalHold: row.held,
      }),
      membership: {
        deliveredSeq: Number(row.delivered_seq),
        readSeq: Number(row.read_seq),
        unread: row.unread,
        visibleFromSeq: Number(row.visible_from_seq),
      },
    }));
  }

  /** Conversations an agency's archive holds, newest first. */
  async listForAgency(manager: EntityManager, agencyId: string): Promise<ConversationView[]> {
    const rows = (await manager.query(
      `SELECT ${CONVERSATION_COLUMNS},
              ARRAY(SELECT DISTINCT agency_id FROM conversation_members a
                     WHERE a.conversation_id = c.id)::text[] AS agencies,
              EXISTS (SELECT 1 FROM conversation_holds h WHERE h.conversation_id = c.id) AS held
         FROM conversations c
        WHERE c.agency_id = $1 OR EXISTS (
                SELECT 1 FROM conversation_members m
                 WHERE m.conversation_id = c.id AND m.agency_id = $1)
        ORDER BY c.created_at DESC
        LIMIT 1000`,
      [agencyId],
    )) as (ConversationRow & { agencies: string[]; held: boolean })[];

    return rows.map((row) =>
      toConversationView(toRecord(row), { archivingAgencyIds: row.agencies, legalHold: row.held }),
    );
  }

  /** Increments the conversation's counters under the row lock the caller holds. */
  async next(
    manager: EntityManager,
    conversationId: string,
    newMessage: boolean,
  ): Promise<{ seq: number; rev: number }> {
    const rows = (await manager.query(
      `UPDATE conversations
          SET last_seq = last_seq + $2, last_rev = last_rev + 1
        WHERE id = $1 RETURNING last_seq, last_rev`,
      [conversationId, newMessage ? 1 : 0],
    )) as unknown[];
    // pg answers an UPDATE ... RETURNING as [rows, count] through TypeORM.
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as {
      last_seq: string;
      last_rev: string;
    }[];
    const row = list[0];

    return { seq: Number(row.last_seq), rev: Number(row.last_rev) };
  }
}

function toRecord(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    kind: row.kind,
    agencyId: row.agency_id,
    title: row.title,
    groupId: row.group_id,
    alertId: row.alert_id,
    lastSeq: Number(row.last_seq),
    lastRev: Number(row.last_rev),
    createdAt: row.created_at,
  };
}

function toMember(row: MemberRow): MemberRecord {
  return {
    userId: row.user_id,
    agencyId: row.agency_id,
    joinedSeq: Number(row.joined_seq),
    visibleFromSeq: Number(row.visible_from_seq),
    leftSeq: row.left_seq === null ? null : Number(row.left_seq),
    deliveredSeq: Number(row.delivered_seq),
    readSeq: Number(row.read_seq),
  };
}
