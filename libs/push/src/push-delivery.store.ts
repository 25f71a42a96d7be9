import type { DataSource } from 'typeorm';
import type { DeliveryStatus, PushUrgency } from './push-delivery.entity';
import { MicroBatcher } from './micro-batcher';

/** A claimed delivery with what sending it needs: its notification and the device. */
export interface DeliveryRow {
  id: string;
  status: DeliveryStatus;
  user_id: string;
  /** Attempts so far, this one included. */
  attempts: number;
  payload: string;
  ttl_seconds: number;
  urgency: PushUrgency;
  topic: string | null;
  created_at: Date;
  subscription_id: string | null;
  owner_id: string | null;
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
}

/** The outcome of one attempt, and what it means for the device's subscription. */
export interface DeliveryRecord {
  deliveryId: string;
  status: DeliveryStatus;
  statusCode: number | null;
  attempts: number;
  subscription?: { id: string; effect: 'success' | 'failure' | 'delete' };
}

type Notification = Pick<
  DeliveryRow,
  'payload' | 'ttl_seconds' | 'urgency' | 'topic' | 'created_at'
>;

/** Notifications kept in memory: a row never changes, and a fan-out reads the same one. */
const NOTIFICATION_CACHE_SIZE = 1000;
/**
 * A claim not recorded after this long belongs to a process that died mid-chunk (BullMQ runs
 * its stalled job again): the job may take it over. Far above PUSH_TIMEOUT_MS and a batch.
 */
const ABANDONED_CLAIM = '5 minutes';
/** Outcomes written in one transaction at most; under load, batches grow up to this. */
const RECORD_BATCH = 2000;

/**
 * Claims and records push deliveries for the worker. A chunk's rows are claimed in one
 * UPDATE … RETURNING (which also stops a second job for them), their notification is read once
 * and cached, and the outcomes of concurrent sends share one transaction of UPDATEs (see
 * MicroBatcher): at thousands of pushes a second, round trips were the sender's bottleneck.
 */
export class PushDeliveryStore {
  private readonly records = new MicroBatcher(
    (items: DeliveryRecord[]) => this.recordMany(items),
    RECORD_BATCH,
  );
  private readonly notifications = new Map<string, Notification>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Counts an attempt on each open delivery of `ids` whose attempts are still `attempts` (any
   * open one when null) and returns those, ready to send; the others are someone else's.
   */
  async claim(ids: string[], attempts: number | null): Promise<DeliveryRow[]> {
    if (ids.length === 0) return [];
    const claimed = (await this.dataSource.query(
      `WITH claimed AS (
         UPDATE push_deliveries d
            SET attempts = coalesce($2::int, d.attempts) + 1, updated_at = now()
          WHERE d.id = ANY($1::uuid[]) AND d.status IN ('pending', 'retrying')
            AND ($2::int IS NULL OR d.attempts = $2
                 OR (d.attempts = $2 + 1 AND d.updated_at < now() - interval '${ABANDONED_CLAIM}'))
         RETURNING d.id, d.status, d.user_id, d.attempts, d.notification_id, d.subscription_id)
       SELECT c.id, c.status, c.user_id, c.attempts, c.notification_id,
              s.id AS subscription_id, s.user_id AS owner_id, s.endpoint, s.p256dh, s.auth
         FROM claimed c LEFT JOIN push_subscriptions s ON s.id = c.subscription_id`,
      [ids, attempts],
    )) as Array<Omit<DeliveryRow, keyof Notification> & { notification_id: string }>;
    const notifications = await this.notificationsOf(claimed.map((row) => row.notification_id));

    return claimed.map(({ notification_id: notificationId, ...row }) => ({
      ...row,
      ...notifications.get(notificationId)!,
    }));
  }

  /** Resolves once the outcome is committed. */
  record(record: DeliveryRecord): Promise<void> {
    return this.records.add(record);
  }

  private async notificationsOf(ids: string[]): Promise<Map<string, Notification>> {
    const missing = [...new Set(ids)].filter((id) => !this.notifications.has(id));
    if (missing.length > 0) {
      const rows = (await this.dataSource.query(
        `SELECT id, payload, ttl_seconds, urgency, topic, created_at
           FROM push_notifications WHERE id = ANY($1::uuid[])`,
        [missing],
      )) as Array<Notification & { id: string }>;
      for (const { id, ...notification } of rows) this.remember(id, notification);
    }

    return this.notifications;
  }

  private remember(id: string, notification: Notification): void {
    if (this.notifications.size >= NOTIFICATION_CACHE_SIZE) {
      // A Map iterates in insertion order: the first key is the oldest.
      this.notifications.delete(this.notifications.keys().next().value as string);
    }
    this.notifications.set(id, notification);
  }

  private async recordMany(items: DeliveryRecord[]): Promise<void[]> {
    const touched = items.filter((item) => item.subscription);
    const ids = (effect: string) =>
      touched.filter((item) => item.subscription!.effect === effect).map((i) => i.subscription!.id);

    await this.dataSource.transaction(async (manager) => {
      if (touched.length > 0) {
        // Locked in id order, so that two processes recording the same devices cannot deadlock.
        await manager.query(
          'SELECT 1 FROM push_subscriptions WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
          [touched.map((item) => item.subscription!.id)],
        );
        await countOutcomes(manager, ids('success'), ids('failure'));
        // Subscription first, so whoever sees the delivery "removed" finds the device gone.
        const gone = ids('delete');
        if (gone.length > 0) {
          await manager.query('DELETE FROM push_subscriptions WHERE id = ANY($1::uuid[])', [gone]);
        }
      }
      await manager.query(
        `UPDATE push_deliveries d
            SET status = o.status, status_code = o.status_code, attempts = o.attempts,
                accepted_at = CASE WHEN o.status = 'sent' THEN now() ELSE d.accepted_at END,
                updated_at = now()
           FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[])
                AS o(id, status, status_code, attempts)
          WHERE d.id = o.id`,
        [
          items.map((item) => item.deliveryId),
          items.map((item) => item.status),
          items.map((item) => item.statusCode),
          items.map((item) => item.attempts),
        ],
      );
    });

    return items.map(() => undefined);
  }
}

/** Adds each device's successes and failures of this batch to its counters. */
async function countOutcomes(
  manager: { query(sql: string, parameters: unknown[]): Promise<unknown> },
  succeeded: string[],
  failed: string[],
): Promise<void> {
  if (succeeded.length === 0 && failed.length === 0) return;
  await manager.query(
    `UPDATE push_subscriptions s
        SET success_count = s.success_count + c.ok,
            failure_count = s.failure_count + c.bad,
            last_success_at = CASE WHEN c.ok > 0 THEN now() ELSE s.last_success_at END,
            last_failure_at = CASE WHEN c.bad > 0 THEN now() ELSE s.last_failure_at END
       FROM (SELECT id, count(*) FILTER (WHERE ok)::int AS ok,
                    count(*) FILTER (WHERE NOT ok)::int AS bad
               FROM (SELECT unnest($1::uuid[]) AS id, true AS ok
                     UNION ALL SELECT unnest($2::uuid[]), false) o
              GROUP BY id) c
      WHERE s.id = c.id`,
    [succeeded, failed],
  );
}
