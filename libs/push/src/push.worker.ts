import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { JOB_QUEUE, type JobQueue } from '@tocsin/jobs';
import { DataSource } from 'typeorm';
import type { DeliveryStatus } from './push-delivery.entity';
import { PushDeliveryStore, type DeliveryRecord, type DeliveryRow } from './push-delivery.store';
import type { PushSender, SendOutcome } from './push-sender';
import { PushService } from './push.service';
import { PUSH_SEND_JOB, PUSH_SENDER, type PushSendJob } from './push.tokens';
import { SendSlots } from './send-slots';

/** Open deliveries older than this are not resumed at start; their TTL is long past. */
const RESUME_WINDOW = '28 days';
/** Chunks worked on at once: the next one is claimed while the last answers come in. */
const CHUNKS_AT_ONCE = 4;

/** Deliveries of a chunk to try again after the same pause, at the same attempt count. */
type Retries = Map<string, { delayMs: number; attempts: number; ids: string[] }>;

/**
 * Sends a chunk of deliveries per job and records what the push service answered for each:
 * accepted → sent; 404/410 → the subscription is removed; 429 (after Retry-After) and 5xx or
 * no answer → retried with backoff in a later job; any other 4xx (400, 413, 401/403) → failed,
 * and the subscription is kept. Claims and records go through {@link PushDeliveryStore}, which
 * batches them; at most PUSH_CONCURRENCY sends run at once ({@link SendSlots}).
 */
@Injectable()
export class PushWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PushWorker.name);
  private readonly store: PushDeliveryStore;
  private readonly slots: SendSlots;

  constructor(
    private readonly dataSource: DataSource,
    private readonly push: PushService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(PUSH_SENDER) private readonly sender: PushSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.store = new PushDeliveryStore(dataSource);
    this.slots = new SendSlots(config.push.concurrency);
  }

  async onApplicationBootstrap(): Promise<void> {
    // The database's clock before this process claims anything: what was claimed earlier
    // belongs to a process that is gone.
    const [{ at }] = (await this.dataSource.query('SELECT now() AS at')) as Array<{ at: Date }>;
    this.queue.process<PushSendJob>(PUSH_SEND_JOB, (job) => this.deliver(job), {
      concurrency: CHUNKS_AT_ONCE,
    });
    await this.resume(at);
  }

  onApplicationShutdown(): void {
    this.sender.close();
  }

  /**
   * Queues again what a stopped process left open, each at the attempt count it was left at, so
   * that a job also queued for it (the outbox handing the event over again) claims it or not,
   * never both. The in-process queue forgot everything, so every open delivery goes that no job
   * of this process (which may already be sending, for an event handed over at start) touched
   * since `startedAt`. Redis kept its jobs (a stalled one runs again and takes over its
   * claims), so only deliveries never claimed go: those whose chunk was committed, not queued.
   */
  async resume(startedAt: Date): Promise<void> {
    const onlyUnclaimed = this.queue.kind === 'bullmq';
    const open = (await this.dataSource.query(
      `SELECT id, attempts FROM push_deliveries WHERE status IN ('pending', 'retrying')
          AND enqueued_at > now() - interval '${RESUME_WINDOW}'
          AND (status = 'pending' AND attempts = 0 OR NOT $1 AND updated_at < $2)
        ORDER BY enqueued_at`,
      [onlyUnclaimed, startedAt],
    )) as Array<{ id: string; attempts: number }>;
    if (open.length === 0) return;

    const byAttempts = new Map<number, string[]>();
    for (const row of open) {
      byAttempts.set(row.attempts, [...(byAttempts.get(row.attempts) ?? []), row.id]);
    }
    for (const [attempts, ids] of byAttempts) await this.push.enqueue(ids, attempts);
    this.logger.log({ deliveries: open.length }, 'resumed open push deliveries');
  }

  /** Claims the chunk's deliveries, sends them, and queues the ones to try again later. */
  async deliver(job: PushSendJob): Promise<void> {
    const ids = job.deliveryIds ?? (job.deliveryId ? [job.deliveryId] : []);
    const rows = await this.store.claim(ids, job.deliveryIds ? (job.attempts ?? null) : null);
    const retries: Retries = new Map();

    const results = await Promise.allSettled(rows.map((row) => this.deliverOne(row, retries)));

    for (const { delayMs, attempts, ids: later } of retries.values()) {
      await this.push.enqueue(later, attempts, delayMs);
    }
    const failed = results.find((result) => result.status === 'rejected');
    // TODO: a chunk whose outcomes could not be recorded stays claimed until a restart resumes it.
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  private async deliverOne(row: DeliveryRow, retries: Retries): Promise<void> {
    // The device was unsubscribed, or re-subscribed by someone else, since this was queued.
    if (!row.subscription_id || row.owner_id !== row.user_id) {
      await this.record(row, 'removed', null);

      return;
    }
    const elapsed = Math.floor((Date.now() - row.created_at.getTime()) / 1000);
    const ttlSeconds = Math.max(0, row.ttl_seconds - elapsed);
    if (row.ttl_seconds > 0 && ttlSeconds === 0) {
      await this.record(row, 'failed', null);

      return;
    }

    // Only the send holds a slot: the record waits for its batch without holding up others.
    const outcome = await this.slots.run(() =>
      this.sender.send(
        { endpoint: row.endpoint!, p256dh: row.p256dh!, auth: row.auth! },
        row.payload,
        { ttlSeconds, urgency: row.urgency, topic: row.topic },
      ),
    );

    await this.settle(row, row.subscription_id, outcome, ttlSeconds, retries);
  }

  private async settle(
    row: DeliveryRow,
    subscriptionId: string,
    outcome: SendOutcome,
    ttlSeconds: number,
    retries: Retries,
  ): Promise<void> {
    const fields = { deliveryId: row.id, subscriptionId, statusCode: outcome.statusCode };
    switch (outcome.kind) {
      case 'accepted':
        await this.record(row, 'sent', outcome.statusCode, {
          id: subscriptionId,
          effect: 'success',
        });

        return;
      case 'gone':
        await this.record(row, 'removed', outcome.statusCode, {
          id: subscriptionId,
          effect: 'delete',
        });
        this.logger.log(fields, 'push subscription gone; removed');

        return;
      case 'retry': {
        const delayMs = this.retryDelay(outcome, row.attempts);
        const worthIt = ttlSeconds === 0 || delayMs < ttlSeconds * 1000;
        if (row.attempts < this.config.push.attempts && worthIt) {
          await this.record(row, 'retrying', outcome.statusCode);
          this.logger.log({ ...fields, delayMs, reason: outcome.reason }, 'push will retry');
          laterBatch(retries, delayMs, row).ids.push(row.id);

          return;
        }
        await this.fail(row, subscriptionId, outcome.statusCode);
        this.logger.warn({ ...fields, reason: outcome.reason }, 'push gave up');

        return;
      }
      case 'rejected':
        await this.fail(row, subscriptionId, outcome.statusCode);
        this.logger.warn({ ...fields, reason: outcome.reason }, 'push refused');

        return;
      default: {
        const unknown: never = outcome;
        throw new Error(`unhandled push outcome ${String(unknown)}`);
      }
    }
  }

  /** Retry-After when the service gave one, exponential backoff otherwise; capped either way. */
  private retryDelay(outcome: { retryAfterMs?: number }, attempts: number): number {
    const { retryDelayMs, maxRetryDelayMs } = this.config.push;
    const backoff = retryDelayMs * 2 ** (attempts - 1);

    return Math.min(maxRetryDelayMs, outcome.retryAfterMs ?? backoff);
  }

  private async fail(row: DeliveryRow, subscriptionId: string, statusCode: number | null) {
    await this.record(row, 'failed', statusCode, { id: subscriptionId, effect: 'failure' });
  }

  private record(
    row: DeliveryRow,
    status: DeliveryStatus,
    statusCode: number | null,
    subscription?: DeliveryRecord['subscription'],
  ): Promise<void> {
    return this.store.record({
      deliveryId: row.id,
      status,
      statusCode,
      attempts: row.attempts,
      subscription,
    });
  }
}

/** The retry batch for this pause and attempt count, made on first use. */
function laterBatch(retries: Retries, delayMs: number, row: DeliveryRow) {
  const key = `${delayMs}:${row.attempts}`;
  let batch = retries.get(key);
  if (!batch) {
    batch = { delayMs, attempts: row.attempts, ids: [] };
    retries.set(key, batch);
  }

  return batch;
}
