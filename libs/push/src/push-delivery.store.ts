import type { DataSource } from 'typeorm';
import type { DeliveryStatus, PushUrgency } from './push-delivery.entity';
import { MicroBatcher } from './micro-batcher';

/** A delivery with what sending it needs: its notification and the device's subscription. */
export interface DeliveryRow {
  id: string;
  status: DeliveryStatus;
  user_id: string;
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

/**
 * Reads and records push deliveries for the worker. The jobs running at the same moment share
 * one SELECT and one transaction of UPDATEs (see MicroBatcher), instead of a round trip each:
 * at thousands of pushes a second, the database round trips were the sender's bottleneck.
 */
export class PushDeliveryStore {
  private readonly loads = new MicroBatcher((ids: string[]) => this.loadMany(ids));
  private readonly records = new MicroBatcher((items: DeliveryRecord[]) => this.recordMany(items));

  constructor(private readonly dataSource: DataSource) {}

  load(deliveryId: string): Promise<DeliveryRow | undefined> {
    return this.loads.add(deliveryId);
  }

  /** Resolves once the outcome is committed. */
  record(record: DeliveryRecord): Promise<void> {
    return this.records.add(record);
  }

  private async loadMany(ids: string[]): Promise<Array<DeliveryRow | undefined>> {
    const rows = (await this.dataSource.query(
      `SELECT d.id, d.status, d.user_id, n.payload, n.ttl_seconds, n.urgency, n.topic,
              n.created_at, s.id AS subscription_id, s.user_id AS owner_id, s.endpoint,
              s.p256dh, s.auth
         FROM push_deliveries d
         JOIN push_notifications n ON n.id = d.notification_id
         LEFT JOIN push_subscriptions s ON s.id = d.subscription_id
        WHERE d.id = ANY($1::uuid[])`,
      [ids],
    )) as DeliveryRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));

    return ids.map((id) => byId.get(id));
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
