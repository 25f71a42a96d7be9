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
import type { DeliveryStatus } from './push-delivery.entity';
import { PushDeliveryStore, type DeliveryRecord } from './push-delivery.store';
import type { PushSender, SendOutcome } from './push-sender';
import { PushService } from './push.service';
import { PUSH_SEND_JOB, PUSH_SENDER, type PushSendJob } from './push.tokens';

/** Open deliveries older than this are not resumed at start; their TTL is long past. */
const RESUME_WINDOW = '28 days';

/**
 * Sends one delivery per job and records what the push service answered: accepted → sent;
 * 404/410 → the subscription is removed; 429 (after Retry-After) and 5xx or no answer → retried
 * with backoff; any other 4xx (400, 413, 401/403) → failed, and the subscription is kept.
 * Reads and records go through {@link PushDeliveryStore}, which batches concurrent jobs.
 */
@Injectable()
export class PushWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PushWorker.name);
  private readonly store: PushDeliveryStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly push: PushService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(PUSH_SENDER) private readonly sender: PushSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.store = new PushDeliveryStore(dataSource);
  }

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
    const row = await this.store.load(deliveryId);
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
        await this.record(deliveryId, 'sent', outcome.statusCode, context.attempt, {
          id: subscriptionId,
          effect: 'success',
        });

        return;
      case 'gone':
        await this.record(deliveryId, 'removed', outcome.statusCode, context.attempt, {
          id: subscriptionId,
          effect: 'delete',
        });
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
    await this.record(deliveryId, 'failed', statusCode, context.attempt, {
      id: subscriptionId,
      effect: 'failure',
    });
  }

  private record(
    deliveryId: string,
    status: DeliveryStatus,
    statusCode: number | null,
    attempts: number,
    subscription?: DeliveryRecord['subscription'],
  ): Promise<void> {
    return this.store.record({ deliveryId, status, statusCode, attempts, subscription });
  }
}
