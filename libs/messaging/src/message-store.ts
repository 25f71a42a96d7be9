import { Injectable } from '@nestjs/common';
import type { MessageView, SharedLocation } from '@tocsin/contracts';
import type { EntityManager } from 'typeorm';
import type { MessageContent } from './message-content';
import { MESSAGE_COLUMNS, toMessageView, type MessageRow } from './records';

export interface NewMessage {
  conversationId: string;
  seq: number;
  rev: number;
  senderId: string;
  senderAgencyId: string;
  clientId: string;
  content: MessageContent;
}

const FROM = 'FROM messages m LEFT JOIN users su ON su.id = m.sender_id';

/** The SQL of messages and their archived versions. */
@Injectable()
export class MessageStore {
  async insert(manager: EntityManager, input: NewMessage): Promise<string> {
    const { content } = input;
    const rows = (await manager.query(
      `INSERT INTO messages (conversation_id, seq, rev, created_rev, sender_id, sender_agency_id,
                             client_id, kind, body, location)
       VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9)
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
      ],
    )) as { id: string; created_at: Date }[];
    const { id, created_at: at } = rows[0];
    await this.addVersion(manager, id, 1, 'created', content, input.senderId, at);

    return id;
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

  async byClientId(
    manager: EntityManager,
    conversationId: string,
    senderId: string,
    clientId: string,
  ): Promise<MessageView | undefined> {
    const rows = (await manager.query(
      `SELECT ${MESSAGE_COLUMNS} ${FROM}
        WHERE m.conversation_id = $1 AND m.sender_id = $2 AND m.client_id = $3`,
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
    actorId: string,
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
