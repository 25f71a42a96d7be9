import { Injectable } from '@nestjs/common';
import type { MessageView, SharedLocation } from '@tocsin/contracts';
import { preparedQuery } from '@tocsin/database';
import { OUTBOX_LEASE_SECONDS, OutboxEntry } from '@tocsin/outbox';
import { QueryFailedError, type EntityManager } from 'typeorm';
import type { MessageContent } from './message-content';
import { MESSAGE_EVENT_TOPIC } from './message-events';
import { MESSAGE_COLUMNS, toMessageView, type MessageRow } from './records';

export interface NewMessage {
  conversationId: string;
  seq: number;
  rev: number;
  /** Null for a sender who is not a user (a Live Help visitor), named by `senderLabel`. */
  senderId: string | null;
  senderLabel?: string | null;
  senderAgencyId: string;
  clientId: string;
  content: MessageContent;
}

const FROM = 'FROM messages m LEFT JOIN users su ON su.id = m.sender_id';

/**
 * Members' new messages to one conversation in one statement (one round trip): the
 * conversation's row lock and next seqs and revs (in the order given), each sender's
 * membership, the messages, their first versions and their outbox rows. Membership rows are
 * read `FOR SHARE` after the conversation's lock, so a removal that committed while this
 * statement waited for the lock is seen (PostgreSQL re-checks a locked row's newest version):
 * that sender's agency is then null and the insert fails on its NOT NULL, as a repeated client
 * id fails on its unique key. Either failure rolls the whole statement back, so no seq is lost,
 * and the caller answers those messages another way. The outbox rows are written already
 * leased to this process, which delivers them without a claim (`OutboxService.dispatchOwned`).
 */
const APPEND_AS_MEMBERS = `
  WITH input AS (
    SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[])
      WITH ORDINALITY AS i(sender_id, client_id, kind, body, location, n)
  ), conv AS (
    UPDATE conversations SET last_seq = last_seq + $7, last_rev = last_rev + $7
     WHERE id = $1 RETURNING id, last_seq, last_rev
  ), sender AS (
    SELECT conv.id, conv.last_seq - $7 + i.n AS seq, conv.last_rev - $7 + i.n AS rev,
           i.sender_id, member.agency_id, i.client_id, i.kind, i.body, i.location::jsonb
      FROM conv CROSS JOIN input i LEFT JOIN LATERAL (
        SELECT cm.agency_id FROM conversation_members cm
         WHERE cm.conversation_id = conv.id AND cm.user_id = i.sender_id AND cm.left_seq IS NULL
           FOR SHARE) member ON true
  ), msg AS (
    INSERT INTO messages (conversation_id, seq, rev, created_rev, sender_id, sender_agency_id,
                          client_id, kind, body, location)
    SELECT id, seq, rev, rev, sender_id, agency_id, client_id, kind, body, location FROM sender
    RETURNING *
  ), version AS (
    INSERT INTO message_versions (message_id, version, action, body, location, actor_id, at)
    SELECT id, 1, 'created', body, location, sender_id, created_at FROM msg
  ), event AS (
    INSERT INTO outbox (topic, payload, lease_until, attempts)
    SELECT $8::text, jsonb_build_object('conversationId', conversation_id, 'messageId', id,
                                        'event', 'message.created', 'rev', rev),
           now() + make_interval(secs => $9), 1
      FROM msg
    RETURNING id, payload, created_at, lease_until
  )
  SELECT ${MESSAGE_COLUMNS}, event.id AS outbox_id, event.payload AS outbox_payload,
         event.created_at AS outbox_created_at, event.lease_until AS outbox_lease_until
    FROM msg m JOIN event ON event.payload->>'messageId' = m.id::text
    LEFT JOIN users su ON su.id = m.sender_id
   ORDER BY m.seq`;

/**
 * The errors by which {@link APPEND_AS_MEMBERS} hands the case to the transactional path:
 * pg's own error on the pool, TypeORM's wrapping of it inside a transaction.
 */
function isFallback(error: unknown): boolean {
  const driverError = error instanceof QueryFailedError ? error.driverError : error;
  if (!driverError || typeof driverError !== 'object') return false;
  const driver = driverError as { code?: string; column?: string; constraint?: string };
  const notMember = driver.code === '23502' && driver.column === 'sender_agency_id';
  const resent = driver.code === '23505' && driver.constraint === 'messages_client_id';

  return notMember || resent;
}

type AppendedRow = MessageRow & {
  outbox_id: string;
  outbox_payload: Record<string, unknown>;
  outbox_created_at: Date;
  outbox_lease_until: Date;
};

/** The SQL of messages and their archived versions. */
@Injectable()
export class MessageStore {
  async insert(manager: EntityManager, input: NewMessage): Promise<string> {
    const { content } = input;
    const rows = (await manager.query(
      `INSERT INTO messages (conversation_id, seq, rev, created_rev, sender_id, sender_agency_id,
                             client_id, kind, body, location, sender_label)
       VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10)
       RETURNING id, created_at`,
      [
        input.conversationId,
        input.seq,
        input.rev,
        input.senderId,
        input.senderAgencyId,
        input.clientId,
        content.kind,
        content.body,
        content.location === null ? null : JSON.stringify(content.location),
        input.senderLabel ?? null,
      ],
    )) as { id: string; created_at: Date }[];
    const { id, created_at: at } = rows[0];
    await this.addVersion(manager, id, 1, 'created', content, input.senderId, at);

    return id;
  }

  /**
   * Current members' new messages to one conversation and their outbox rows, in the order
   * given, committed on their own (no transaction needed around them). Undefined when the
   * statement cannot decide for all of them: no such conversation, a sender who is not a
   * current member (or an incident's late recipient), a resent client id, a removal racing the
   * send; the caller then answers them one by one.
   */
  async appendAsMembers(
    manager: EntityManager,
    conversationId: string,
    inputs: { senderId: string; clientId: string; content: MessageContent }[],
  ): Promise<{ message: MessageView; entry: OutboxEntry }[] | undefined> {
    const column = <T>(pick: (input: (typeof inputs)[number]) => T) => inputs.map(pick);
    let rows: AppendedRow[];
    try {
      // Prepared: every send runs this text, and parsing and planning it cost PostgreSQL as
      // much as running it; its plan does not depend on the values (lookups by key).
      rows = await preparedQuery<AppendedRow>(manager, APPEND_AS_MEMBERS, [
        conversationId,
        column((input) => input.senderId),
        column((input) => input.clientId),
        column((input) => input.content.kind),
        column((input) => input.content.body),
        column(({ content }) => (content.location ? JSON.stringify(content.location) : null)),
        inputs.length,
        MESSAGE_EVENT_TOPIC,
        OUTBOX_LEASE_SECONDS,
      ]);
    } catch (error) {
      if (isFallback(error)) return undefined;
      throw error;
    }
    if (rows.length !== inputs.length) return undefined;

    return rows.map((row) => ({ message: toMessageView(row), entry: toOutboxEntry(row) }));
  }

  /** Applies an edit (new content) or a deletion (null), keeping the old text as a version. */
  async change(
    manager: EntityManager,
    current: MessageView,
    rev: number,
    next: { body: string | null; location: SharedLocation | null } | null,
    actorId: string,
  ): Promise<void> {
    const version = current.version + 1;
    const now = new Date();
    await manager.query(
      `UPDATE messages
          SET body = $3, location = $4, version = $5, rev = $6,
              edited_at = CASE WHEN $7 THEN edited_at ELSE $8 END,
              deleted_at = CASE WHEN $7 THEN $8 ELSE deleted_at END
        WHERE conversation_id = $1 AND id = $2`,
      [
        current.conversationId,
        current.id,
        next?.body ?? null,
        next?.location ? JSON.stringify(next.location) : null,
        version,
        rev,
        next === null,
        now,
      ],
    );
    const content = {
      kind: current.kind,
      body: next?.body ?? null,
      location: next?.location ?? null,
    };
    await this.addVersion(
      manager,
      current.id,
      version,
      next ? 'edited' : 'deleted',
      content,
      actorId,
      now,
    );
  }

  async byId(
    manager: EntityManager,
    conversationId: string,
    id: string,
  ): Promise<MessageView | undefined> {
    const rows = (await manager.query(
      `SELECT ${MESSAGE_COLUMNS} ${FROM} WHERE m.conversation_id = $1 AND m.id = $2`,
      [conversationId, id],
    )) as MessageRow[];

    return rows[0] && toMessageView(rows[0]);
  }

  /** A user's message by its client id; with a null sender, the conversation's outsider's. */
  async byClientId(
    manager: EntityManager,
    conversationId: string,
    senderId: string | null,
    clientId: string,
  ): Promise<MessageView | undefined> {
    const rows = (await manager.query(
      `SELECT ${MESSAGE_COLUMNS} ${FROM}
        WHERE m.conversation_id = $1 AND m.sender_id IS NOT DISTINCT FROM $2::uuid
          AND m.client_id = $3`,
      [conversationId, senderId, clientId],
    )) as MessageRow[];

    return rows[0] && toMessageView(rows[0]);
  }

  /** Messages with seq > afterSeq, or changed after sinceRev, from visibleFromSeq on, by seq. */
  async after(
    manager: EntityManager,
    conversationId: string,
    range: { afterSeq: number; sinceRev: number; visibleFromSeq?: number; limit: number },
  ): Promise<MessageView[]> {
    const rows = (await manager.query(
      `SELECT ${MESSAGE_COLUMNS} ${FROM}
        WHERE m.conversation_id = $1 AND m.seq >= $4 AND (m.seq > $2 OR m.rev > $3)
        ORDER BY m.seq LIMIT $5`,
      [conversationId, range.afterSeq, range.sinceRev, range.visibleFromSeq ?? 0, range.limit],
    )) as MessageRow[];

    return rows.map(toMessageView);
  }

  /** The rev at which the message `seq` (or the last one before it still kept) was sent. */
  async revAtSeq(manager: EntityManager, conversationId: string, seq: number): Promise<number> {
    if (seq <= 0) return 0;
    const rows = (await manager.query(
      `SELECT created_rev FROM messages WHERE conversation_id = $1 AND seq <= $2
        ORDER BY seq DESC LIMIT 1`,
      [conversationId, seq],
    )) as { created_rev: string }[];

    return rows[0] ? Number(rows[0].created_rev) : 0;
  }

  private async addVersion(
    manager: EntityManager,
    messageId: string,
    version: number,
    action: 'created' | 'edited' | 'deleted',
    content: MessageContent,
    actorId: string | null,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO message_versions (message_id, version, action, body, location, actor_id, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        messageId,
        version,
        action,
        content.body,
        content.location ? JSON.stringify(content.location) : null,
        actorId,
        at,
      ],
    );
  }
}

function toOutboxEntry(row: AppendedRow): OutboxEntry {
  return Object.assign(new OutboxEntry(), {
    id: String(row.outbox_id),
    topic: MESSAGE_EVENT_TOPIC,
    payload: row.outbox_payload,
    createdAt: row.outbox_created_at,
    leaseUntil: row.outbox_lease_until,
    dispatchedAt: null,
    attempts: 1,
  });
}
