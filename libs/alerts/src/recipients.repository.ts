import { Injectable } from '@nestjs/common';
import type { RecipientView, ResponseStatus, ResponseTally, TargetReason } from '@tocsin/contracts';
import type { EntityManager } from 'typeorm';
import type { AckBatch } from './ack-batch';
import type { TargetRow, TargetsStatement } from './targeting';

/** Recipients of one event who joined with it (`joinedNow`) or before it. */
export interface JoinGroup {
  joinedNow: boolean;
  userIds: string[];
  /**
   * Every one of them has acknowledged the event already: a redelivery (the sweep after a
   * crash between the fan-out and its outbox row marked done) must not write it again.
   */
  acked?: boolean;
}

/** An event a user has not acknowledged yet, as the catch-up on connect sends it. */
export interface PendingEvent {
  alertId: string;
  seq: number;
  name: string;
  payload: unknown;
}

/**
 * Target rows read from their JSON text as it is (`JSON.stringify(targets)`): no copy of each
 * row is made to rename its fields; `displayName` is ignored.
 */
const TARGETS_FROM_JSON =
  'jsonb_to_recordset($2::jsonb) AS t("userId" uuid, reasons text[], "viaGroupIds" uuid[])';

/** Every read and write of alert recipients: targeting results, delivery, responses. */
@Injectable()
export class RecipientsRepository {
  /**
   * Stores the recipients of an alert that has none yet (a new alert) straight from the
   * targeting query, inside PostgreSQL: the N target rows never cross into Node and back.
   * Returns the stored user ids, which the fan-out writes to at the commit; one
   * comma-separated text, not a row per recipient, since nothing else is needed of them.
   */
  async insertTargeted(
    manager: EntityManager,
    alertId: string,
    targets: TargetsStatement,
  ): Promise<string[]> {
    const alertParam = `$${targets.params.length + 1}::uuid`;
    const [row]: { user_ids: string | null }[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO alert_recipients (alert_id, user_id, reasons, via_group_ids, joined_seq)
         SELECT ${alertParam}, t.user_id, t.reasons, t.group_ids, 1 FROM (${targets.text}) t
         RETURNING user_id)
       SELECT string_agg(user_id::text, ',') AS user_ids FROM inserted`,
      [...targets.params, alertId],
    );

    return row?.user_ids ? row.user_ids.split(',') : [];
  }

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
    const rows: { user_id: string; inserted: boolean }[] = await manager.query(
      `INSERT INTO alert_recipients (alert_id, user_id, reasons, via_group_ids, joined_seq)
       SELECT $1, t."userId", t.reasons, t."viaGroupIds", $3 FROM ${TARGETS_FROM_JSON}
       ON CONFLICT (alert_id, user_id) DO UPDATE
          SET reasons = ARRAY(SELECT DISTINCT unnest(alert_recipients.reasons || EXCLUDED.reasons))
        WHERE NOT alert_recipients.reasons @> EXCLUDED.reasons
       RETURNING user_id, (xmax = 0) AS inserted`,
      [alertId, JSON.stringify(targets), joinedSeq],
    );

    return rows.filter((row) => row.inserted).map((row) => row.user_id);
  }

  /**
   * The user ids of an alert's recipients (or of `only` among them), in at most four lists:
   * those who joined at `seq` and the others, each split by whether they acknowledged the
   * event at `seq` already. One comma-separated text per list, split here:
   * the fan-out needs nothing else, and a row (or a parsed array element) per recipient is
   * an allocation and a parse step each on its hot path.
   */
  async userIdsByJoin(
    manager: EntityManager,
    alertId: string,
    seq: number,
    only?: string[],
  ): Promise<JoinGroup[]> {
    const rows: { joined_now: boolean; acked: boolean; user_ids: string }[] = await manager.query(
      `SELECT joined_seq = $2 AS joined_now, acked_seq >= $2 AS acked,
              string_agg(user_id::text, ',') AS user_ids
         FROM alert_recipients
        WHERE alert_id = $1
          AND ($3::text IS NULL OR user_id = ANY(string_to_array($3, ',')::uuid[]))
        GROUP BY 1, 2`,
      [alertId, seq, only ? only.join(',') : null],
    );

    return rows.map((row) => ({
      joinedNow: row.joined_now,
      userIds: row.user_ids.split(','),
      acked: row.acked,
    }));
  }

  /** Marks these recipients as pushed, those who have a device: the others rely on sockets. */
  async markPushed(manager: EntityManager, alertId: string, userIds: string[]): Promise<void> {
    await manager.query(
      `UPDATE alert_recipients r SET pushed_at = now()
        WHERE r.alert_id = $1 AND r.user_id = ANY(string_to_array($2, ',')::uuid[])
          AND r.pushed_at IS NULL
          AND EXISTS (SELECT 1 FROM push_subscriptions ps WHERE ps.user_id = r.user_id)`,
      [alertId, userIds.join(',')],
    );
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

  /**
   * Records acknowledgements in one statement: the client has every event up to `seq`. A user
   * who acknowledged twice in the batch counts with the higher seq (an UPDATE joined to two
   * rows for one recipient would apply only one of them, either one).
   */
  async markDelivered(manager: EntityManager, acks: AckBatch): Promise<void> {
    if (acks.size === 0) return;
    await manager.query(
      `UPDATE alert_recipients r
          SET acked_seq = GREATEST(r.acked_seq, k.seq),
              delivered_at = coalesce(r.delivered_at, now())
         FROM (SELECT alert_id, user_id, max(seq) AS seq
                 FROM unnest(string_to_array($1, ',')::uuid[], string_to_array($2, ',')::uuid[],
                             string_to_array($3, ',')::int[]) AS a(alert_id, user_id, seq)
                GROUP BY alert_id, user_id) k
        WHERE r.alert_id = k.alert_id AND r.user_id = k.user_id`,
      // Joined texts: the driver would quote and escape each array element in JavaScript.
      [acks.alertIds.join(','), acks.userIds.join(','), acks.seqs.join(',')],
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
