import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { JOB_QUEUE, RetryJobLater, type JobContext, type JobQueue } from '@tocsin/jobs';
import { DataSource } from 'typeorm';
import type { DeliveryStatus, PushUrgency } from './push-delivery.entity';
import type { PushSender, SendOutcome } from './push-sender';
import { PushService } from './push.service';
import { PUSH_SEND_JOB, PUSH_SENDER, type PushSendJob } from './push.tokens';

interface DeliveryRow {
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

/** Open deliveries older than this are not resumed at start; their TTL is long past. */
const RESUME_WINDOW = '28 days';

/**
 * Sends one delivery per job and records what the push service answered: accepted → sent;
 * 404/410 → the subscription is removed; 429 (after Retry-After) and 5xx or no answer → retried
 * with backoff; any other 4xx (400, 413, 401/403) → failed, and the subscription is kept.
 */
@Injectable()
export class PushWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PushWorker.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly push: PushService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(PUSH_SENDER) private readonly sender: PushSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue.process<PushSendJob>(PUSH_SEND_JOB, (job, context) => this.deliver(job, context), {
      concurrency: this.config.push.concurrency,
    });
    await this.resume();
  }

  onApplicationShutdown(): void {
    this.sender.close();
  }

  /** Queues again what a stopped process left open (the in-process queue forgets on exit). */
  async resume(): Promise<void> {
    const open = (await this.dataSource.query(
      `SELECT id FROM push_deliveries WHERE status IN ('pending', 'retrying')
          AND enqueued_at > now() - interval '${RESUME_WINDOW}' ORDER BY enqueued_at`,
    )) as Array<{ id: string }>;
    if (open.length === 0) return;
    await this.push.enqueue(open.map((row) => row.id));
    this.logger.log({ deliveries: open.length }, 'resumed open push deliveries');
  }

  async deliver({ deliveryId }: PushSendJob, context: JobContext): Promise<void> {
    const [row] = (await this.dataSource.query(
      `SELECT d.status, d.user_id, n.payload, n.ttl_seconds, n.urgency, n.topic, n.created_at,
              s.id AS subscription_id, s.user_id AS owner_id, s.endpoint, s.p256dh, s.auth
         FROM push_deliveries d
         JOIN push_notifications n ON n.id = d.notification_id
         LEFT JOIN push_subscriptions s ON s.id = d.subscription_id
        WHERE d.id = $1`,
      [deliveryId],
    )) as DeliveryRow[];
    if (!row || !['pending', 'retrying'].includes(row.status)) return;

    // The device was unsubscribed, or re-subscribed by someone else, since this was queued.
    if (!row.subscription_id || row.owner_id !== row.user_id) {
      await this.record(deliveryId, 'removed', null, context.attempt);

      return;
    }
    const elapsed = Math.floor((Date.now() - row.created_at.getTime()) / 1000);
    const ttlSeconds = Math.max(0, row.ttl_seconds - elapsed);
    if (row.ttl_seconds > 0 && ttlSeconds === 0) {
      await this.record(deliveryId, 'failed', null, context.attempt);

      return;
    }

    const outcome = await this.sender.send(
      { endpoint: row.endpoint!, p256dh: row.p256dh!, auth: row.auth! },
      row.payload,
      { ttlSeconds, urgency: row.urgency, topic: row.topic },
    );

    await this.settle(deliveryId, row.subscription_id, outcome, context, ttlSeconds);
  }

  private async settle(
    deliveryId: string,
    subscriptionId: string,
    outcome: SendOutcome,
    context: JobContext,
    ttlSeconds: number,
  ): Promise<void> {
    const fields = { deliveryId, subscriptionId, statusCode: outcome.statusCode };
    switch (outcome.kind) {
      case 'accepted':
        await this.record(deliveryId, 'sent', outcome.statusCode, context.attempt);
        await this.dataSource.query(
          `UPDATE push_subscriptions SET last_success_at = now(),
                  success_count = success_count + 1 WHERE id = $1`,
          [subscriptionId],
        );

        return;
      case 'gone':
        // Subscription first, so whoever sees the delivery "removed" finds the device gone.
        await this.dataSource.query('DELETE FROM push_subscriptions WHERE id = $1', [
          subscriptionId,
        ]);
        await this.record(deliveryId, 'removed', outcome.statusCode, context.attempt);
        this.logger.log(fields, 'push subscription gone; removed');

        return;
      case 'retry': {
        const delayMs = this.retryDelay(outcome, context);
        const worthIt = ttlSeconds === 0 || delayMs < ttlSeconds * 1000;
        if (context.attempt < context.maxAttempts && worthIt) {
          await this.record(deliveryId, 'retrying', outcome.statusCode, context.attempt);
          this.logger.log({ ...fields, delayMs, reason: outcome.reason }, 'push will retry');
          throw new RetryJobLater(delayMs, outcome.reason);
        }
        await this.fail(deliveryId, subscriptionId, outcome.statusCode, context);
        this.logger.warn({ ...fields, reason: outcome.reason }, 'push gave up');

        return;
      }
      case 'rejected':
        await this.fail(deliveryId, subscriptionId, outcome.statusCode, context);
        this.logger.warn({ ...fields, reason: outcome.reason }, 'push refused');

        return;
      default: {
        const unknown: never = outcome;
        throw new Error(`unhandled push outcome ${String(unknown)}`);
      }
    }
  }

  /** Retry-After when the service gave one, exponential backoff otherwise; capped either way. */
  private retryDelay(outcome: { retryAfterMs?: number }, context: JobContext): number {
    const { retryDelayMs, maxRetryDelayMs } = this.config.push;
    const backoff = retryDelayMs * 2 ** (context.attempt - 1);

    return Math.min(maxRetryDelayMs, outcome.retryAfterMs ?? backoff);
  }

  private async fail(
    deliveryId: string,
    subscriptionId: string,
    statusCode: number | null,
    context: JobContext,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE push_subscriptions SET last_failure_at = now(),
              failure_count = failure_count + 1 WHERE id = $1`,
      [subscriptionId],
    );
    await this.record(deliveryId, 'failed', statusCode, context.attempt);
  }

  private async record(
    deliveryId: string,
    status: DeliveryStatus,
    statusCode: number | null,
    attempts: number,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE push_deliveries SET status = $2, status_code = $3, attempts = $4,
              accepted_at = CASE WHEN $2 = 'sent' THEN now() ELSE accepted_at END,
              updated_at = now()
        WHERE id = $1`,
      [deliveryId, status, statusCode, attempts],
    );
  }
}
