import { Injectable } from '@nestjs/common';
import type { RecipientView, ResponseStatus, ResponseTally, TargetReason } from '@tocsin/contracts';
import type { EntityManager } from 'typeorm';
import type { TargetRow } from './targeting';

/** An event a user has not acknowledged yet, as the catch-up on connect sends it. */
export interface PendingEvent {
  alertId: string;
  seq: number;
  name: string;
  payload: unknown;
}

/** Every read and write of alert recipients: targeting results, delivery, responses. */
@Injectable()
export class RecipientsRepository {
  /**
   * Adds recipients who are not on the alert yet and returns the ids of those added. A late
   * recipient joins at `joinedSeq`: catch-up starts there, not at the alert's first event.
   */
  async addMissing(
    manager: EntityManager,
    alertId: string,
    targets: TargetRow[],
    joinedSeq: number,
  ): Promise<string[]> {
    if (targets.length === 0) return [];
    const rows: { user_id: string }[] = await manager.query(
      `INSERT INTO alert_recipients (alert_id, user_id, reasons, via_group_ids, joined_seq)
       SELECT $1, t.user_id, t.reasons, t.group_ids, $3
         FROM jsonb_to_recordset($2::jsonb) AS t(user_id uuid, reasons text[], group_ids uuid[])
       ON CONFLICT (alert_id, user_id) DO UPDATE
          SET reasons = ARRAY(SELECT DISTINCT unnest(alert_recipients.reasons || EXCLUDED.reasons))
        WHERE NOT alert_recipients.reasons @> EXCLUDED.reasons
       RETURNING user_id, (xmax = 0) AS inserted`,
      [
        alertId,
        JSON.stringify(
          targets.map((t) => ({ user_id: t.userId, reasons: t.reasons, group_ids: t.viaGroupIds })),
        ),
        joinedSeq,
      ],
    );

    return (rows as { user_id: string; inserted: boolean }[])
      .filter((row) => row.inserted)
      .map((row) => row.user_id);
  }

  async userIds(manager: EntityManager, alertId: string): Promise<string[]> {
    const rows: { user_id: string }[] = await manager.query(
      'SELECT user_id FROM alert_recipients WHERE alert_id = $1',
      [alertId],
    );

    return rows.map((row) => row.user_id);
  }

  async isRecipient(manager: EntityManager, alertId: string, userId: string): Promise<boolean> {
    const rows = await manager.query(
      'SELECT 1 FROM alert_recipients WHERE alert_id = $1 AND user_id = $2',
      [alertId, userId],
    );

    return rows.length > 0;
  }

  /** Records acknowledgements in one statement: the client has every event up to `seq`. */
  async markDelivered(
    manager: EntityManager,
    acks: { alertId: string; userId: string; seq: number }[],
  ): Promise<void> {
    if (acks.length === 0) return;
    await manager.query(
      `UPDATE alert_recipients r
          SET acked_seq = GREATEST(r.acked_seq, k.seq),
              delivered_at = coalesce(r.delivered_at, now())
         FROM jsonb_to_recordset($1::jsonb) AS k(alert_id uuid, user_id uuid, seq int)
        WHERE r.alert_id = k.alert_id AND r.user_id = k.user_id`,
      [JSON.stringify(acks.map((a) => ({ alert_id: a.alertId, user_id: a.userId, seq: a.seq })))],
    );
  }

  /** Events of alerts this user receives that they have not acknowledged, oldest first. */
  async pendingFor(manager: EntityManager, userId: string): Promise<PendingEvent[]> {
    const rows: {
      alert_id: string;
      seq: number;
      name: string;
      payload: unknown;
      first: boolean;
    }[] = await manager.query(
      `SELECT e.alert_id, e.seq, e.name, e.payload, (e.seq = r.joined_seq) AS first
           FROM alert_recipients r
           JOIN alerts a ON a.id = r.alert_id
           JOIN alert_events e ON e.alert_id = r.alert_id
                              AND e.seq > r.acked_seq AND e.seq >= r.joined_seq
          WHERE r.user_id = $1 AND a.expires > now() - interval '1 day'
          ORDER BY e.created_at, e.alert_id, e.seq
          LIMIT 500`,
      [userId],
    );

    // To a recipient who joined late, the first event they get is the alert itself.
    return rows.map((row) => ({
      alertId: row.alert_id,
      seq: row.seq,
      name: row.first && row.name === 'alert.updated' ? 'alert.created' : row.name,
      payload: row.payload,
    }));
  }

  async respond(
    manager: EntityManager,
    alertId: string,
    userId: string,
    response: ResponseStatus,
    etaMinutes: number | null,
  ): Promise<{ displayName: string; respondedAt: Date } | undefined> {
    const rows = await manager.query(
      `UPDATE alert_recipients r
          SET response = $3, eta_minutes = $4, responded_at = now(),
              seen_at = coalesce(r.seen_at, now()),
              delivered_at = coalesce(r.delivered_at, now())
         FROM users u
        WHERE r.alert_id = $1 AND r.user_id = $2 AND u.id = r.user_id
        RETURNING u.display_name, r.responded_at`,
      [alertId, userId, response, etaMinutes],
    );
    const row = (Array.isArray(rows[0]) ? rows[0][0] : rows[0]) as
      { display_name: string; responded_at: Date } | undefined;

    return row ? { displayName: row.display_name, respondedAt: row.responded_at } : undefined;
  }

  async tally(manager: EntityManager, alertId: string): Promise<ResponseTally> {
    const [row] = await manager.query(
      `SELECT count(*)::int AS recipients,
              count(delivered_at)::int AS delivered,
              count(*) FILTER (WHERE response = 'acknowledged')::int AS acknowledged,
              count(*) FILTER (WHERE response = 'responding')::int AS responding,
              count(*) FILTER (WHERE response = 'on_scene')::int AS on_scene,
              count(*) FILTER (WHERE response = 'unavailable')::int AS unavailable,
              count(*) FILTER (WHERE response IS NULL)::int AS silent
         FROM alert_recipients WHERE alert_id = $1`,
      [alertId],
    );

    return row as ResponseTally;
  }

  async list(manager: EntityManager, alertId: string): Promise<RecipientView[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT r.user_id, u.display_name, u.agency_id, r.reasons, r.delivered_at, r.pushed_at,
              r.seen_at, r.response, r.eta_minutes, r.responded_at, r.escalated_at
         FROM alert_recipients r JOIN users u ON u.id = r.user_id
        WHERE r.alert_id = $1
        ORDER BY u.display_name, r.user_id`,
      [alertId],
    );

    return rows.map((row) => ({
      userId: row.user_id as string,
      displayName: row.display_name as string,
      agencyId: row.agency_id as string,
      reasons: row.reasons as TargetReason[],
      deliveredAt: iso(row.delivered_at),
      pushedAt: iso(row.pushed_at),
      seenAt: iso(row.seen_at),
      response: (row.response as ResponseStatus | null) ?? null,
      etaMinutes: (row.eta_minutes as number | null) ?? null,
      respondedAt: iso(row.responded_at),
      escalatedAt: iso(row.escalated_at),
    }));
  }

  /** Recipients who have not answered, marked as chased; returns their ids. */
  async markSilentEscalated(manager: EntityManager, alertId: string): Promise<string[]> {
    const rows = await manager.query(
      `UPDATE alert_recipients SET escalated_at = now()
        WHERE alert_id = $1 AND response IS NULL AND escalated_at IS NULL
        RETURNING user_id`,
      [alertId],
    );
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as { user_id: string }[];

    return list.map((row) => row.user_id);
  }
}

function iso(value: unknown): string | null {
  return value instanceof Date ? value.toISOString() : null;
}
