import { Injectable } from '@nestjs/common';
import type { LiveHelpChatView, LiveHelpStatus } from '@tocsin/contracts';
import type { EntityManager } from 'typeorm';

export interface VisitorRow {
  id: string;
  agency_id: string;
  conversation_id: string;
  name: string | null;
  topic: string | null;
  origin: string;
  address: string;
  token_expires_at: Date;
  status: LiveHelpStatus;
  representative_id: string | null;
  representative_name: string | null;
  created_at: Date;
  accepted_at: Date | null;
  closed_at: Date | null;
  blocked_at: Date | null;
}

const COLUMNS = `v.id, v.agency_id, v.conversation_id, v.name, v.topic, v.origin, v.address,
  v.token_expires_at, v.status, v.representative_id, r.display_name AS representative_name,
  v.created_at, v.accepted_at, v.closed_at, v.blocked_at`;
const FROM = 'FROM livehelp_visitors v LEFT JOIN users r ON r.id = v.representative_id';

/**
 * The SQL of visitor sessions and blocks; every caller passes its transaction.
 *
 * TODO: the visitor's name, topic and address stay here for as long as the conversation
 * exists; the messaging retention job deletes the messages only. Clearing them after the
 * agency's retention period belongs in a Live Help retention step.
 */
@Injectable()
export class VisitorsStore {
  async insert(
    manager: EntityManager,
    input: {
      agencyId: string;
      conversationId: string;
      name: string | null;
      topic: string | null;
      origin: string;
      address: string;
      tokenHash: string;
      expiresAt: Date;
    },
  ): Promise<string> {
    const rows = (await manager.query(
      `INSERT INTO livehelp_visitors (agency_id, conversation_id, name, topic, origin, address,
              token_hash, token_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        input.agencyId,
        input.conversationId,
        input.name,
        input.topic,
        input.origin,
        input.address,
        input.tokenHash,
        input.expiresAt,
      ],
    )) as { id: string }[];

    return rows[0].id;
  }

  async byTokenHash(manager: EntityManager, hash: string): Promise<VisitorRow | undefined> {
    const rows = (await manager.query(`SELECT ${COLUMNS} ${FROM} WHERE v.token_hash = $1`, [
      hash,
    ])) as VisitorRow[];

    return rows[0];
  }

  /** A chat of the agency by its conversation id, optionally locked for a change. */
  async byConversation(
    manager: EntityManager,
    agencyId: string,
    conversationId: string,
    lock = false,
  ): Promise<VisitorRow | undefined> {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} ${FROM} WHERE v.conversation_id = $1 AND v.agency_id = $2
        ${lock ? 'FOR UPDATE OF v' : ''}`,
      [conversationId, agencyId],
    )) as VisitorRow[];

    return rows[0];
  }

  async byId(manager: EntityManager, id: string, lock = false): Promise<VisitorRow | undefined> {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} ${FROM} WHERE v.id = $1 ${lock ? 'FOR UPDATE OF v' : ''}`,
      [id],
    )) as VisitorRow[];

    return rows[0];
  }

  /**
   * Visitors waiting for a representative, longest-waiting first. One whose token expired
   * has left (the widget renews it while the page is open): it is not shown, and
   * {@link AbandonedChatsService} closes it.
   */
  async waiting(manager: EntityManager, agencyId: string): Promise<VisitorRow[]> {
    return (await manager.query(
      `SELECT ${COLUMNS} ${FROM}
        WHERE v.agency_id = $1 AND v.status = 'waiting' AND v.token_expires_at > now()
        ORDER BY v.created_at LIMIT 500`,
      [agencyId],
    )) as VisitorRow[];
  }

  /** A representative's open chats, oldest first. */
  async assigned(manager: EntityManager, userId: string): Promise<VisitorRow[]> {
    return (await manager.query(
      `SELECT ${COLUMNS} ${FROM} WHERE v.representative_id = $1 AND v.status = 'active'
        ORDER BY v.accepted_at`,
      [userId],
    )) as VisitorRow[];
  }

  async update(
    manager: EntityManager,
    id: string,
    changes: {
      status?: LiveHelpStatus;
      representativeId?: string;
      accepted?: boolean;
      closed?: boolean;
      blocked?: boolean;
      expiresAt?: Date;
    },
  ): Promise<void> {
    await manager.query(
      `UPDATE livehelp_visitors
          SET status = COALESCE($2, status),
              representative_id = COALESCE($3, representative_id),
              accepted_at = CASE WHEN $4 THEN now() ELSE accepted_at END,
              closed_at = CASE WHEN $5 THEN now() ELSE closed_at END,
              blocked_at = CASE WHEN $6 THEN now() ELSE blocked_at END,
              token_expires_at = COALESCE($7, token_expires_at)
        WHERE id = $1`,
      [
        id,
        changes.status ?? null,
        changes.representativeId ?? null,
        changes.accepted ?? false,
        changes.closed ?? false,
        changes.blocked ?? false,
        changes.expiresAt ?? null,
      ],
    );
  }

  async addBlock(
    manager: EntityManager,
    input: { agencyId: string; address: string; visitorId: string; by: string; until: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO livehelp_blocks (agency_id, address, visitor_id, blocked_by, until)
       VALUES ($1, $2, $3, $4, $5)`,
      [input.agencyId, input.address, input.visitorId, input.by, input.until],
    );
  }

  async isBlocked(manager: EntityManager, agencyId: string, address: string): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 FROM livehelp_blocks WHERE agency_id = $1 AND address = $2 AND until > now()
        LIMIT 1`,
      [agencyId, address],
    )) as unknown[];

    return rows.length > 0;
  }
}

export function toChatView(row: VisitorRow, now = Date.now()): LiveHelpChatView {
  const since = row.status === 'waiting' ? row.created_at : (row.accepted_at ?? row.created_at);

  return {
    conversationId: row.conversation_id,
    visitorId: row.id,
    name: row.name,
    topic: row.topic,
    origin: row.origin,
    status: row.status,
    representativeId: row.representative_id,
    representativeName: row.representative_name,
    createdAt: row.created_at.toISOString(),
    acceptedAt: row.accepted_at?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null,
    waitingSeconds: Math.max(0, Math.floor((now - since.getTime()) / 1000)),
    blocked: row.blocked_at !== null,
  };
}
