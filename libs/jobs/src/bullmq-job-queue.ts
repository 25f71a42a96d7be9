import { Logger } from '@nestjs/common';
import { Queue, Worker, type Job, type JobsOptions, type MinimalJob } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  retryDelayMs,
  type AddJobOptions,
  type Backoff,
  type JobHandler,
  type JobQueue,
  type ProcessOptions,
} from './job-queue';

/** Our backoff types as BullMQ custom strategies, so a handler can choose its own pause. */
const BACKOFF_TYPES = { fixed: 'tocsin-fixed', exponential: 'tocsin-exponential' } as const;

export interface BullMqJobQueueOptions {
  /** Namespace of every key in Redis; tests use a unique one each. */
  prefix: string;
  /** Failed jobs kept in Redis for inspection (completed ones are removed at once). */
  keepFailed?: number;
}

/**
 * The queue on Redis: jobs survive a restart and are shared by every API process. Each queue
 * name and worker gets its own connection (BullMQ needs `maxRetriesPerRequest: null` for
 * blocking reads), duplicated from the shared client so they share its settings.
 */
export class BullMqJobQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly logger = new Logger(BullMqJobQueue.name);
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly connections: Redis[] = [];
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly options: BullMqJobQueueOptions,
  ) {}

  async add<T>(name: string, data: T, options: AddJobOptions = {}): Promise<void> {
    await this.queue(name).add(name, data, this.jobOptions(options));
  }

  async addBulk<T>(name: string, jobs: Array<{ data: T; options?: AddJobOptions }>) {
    if (jobs.length === 0) return;
    await this.queue(name).addBulk(
      jobs.map((job) => ({ name, data: job.data, opts: this.jobOptions(job.options ?? {}) })),
    );
  }

  process<T>(name: string, handler: JobHandler<T>, options: ProcessOptions = {}): void {
    if (this.closed) throw new Error('the job queue is closed');
    const worker = new Worker(
      name,
      async (job: Job) =>
        handler(job.data as T, {
          jobId: String(job.id),
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? 1,
        }),
      {
        connection: this.connect(),
        prefix: this.options.prefix,
        concurrency: Math.max(1, options.concurrency ?? 1),
        settings: { backoffStrategy: backoffStrategy },
      },
    );
    worker.on('error', (error) =>
      this.logger.warn({ queue: name, reason: error.message }, 'error'),
    );
    worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        this.logger.warn({ queue: name, jobId: job.id, reason: error.message }, 'job failed');
      }
    });
    this.workers.push(worker);
  }

  async close(): Promise<void> {
    this.closed = true;
    // Workers first: close() waits for the jobs they are running.
    await Promise.allSettled(this.workers.map((worker) => worker.close()));
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    await Promise.allSettled(this.connections.map((connection) => connection.quit()));
  }

  private queue(name: string): Queue {
    if (this.closed) throw new Error('the job queue is closed');
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connect(), prefix: this.options.prefix });
      queue.on('error', (error) =>
        this.logger.warn({ queue: name, reason: error.message }, 'error'),
      );
      this.queues.set(name, queue);
    }

    return queue;
  }

  private jobOptions(options: AddJobOptions): JobsOptions {
    return {
      ...(options.jobId ? { jobId: options.jobId } : {}),
      delay: Math.max(0, options.delayMs ?? 0),
      attempts: Math.max(1, options.attempts ?? 1),
      // Always a custom strategy, so that RetryJobLater can set the pause even without backoff.
      backoff: options.backoff
        ? { type: BACKOFF_TYPES[options.backoff.type], delay: options.backoff.delayMs }
        : { type: BACKOFF_TYPES.fixed, delay: 0 },
      // Removed at once, so a jobId deduplicates exactly as in the in-process queue.
      removeOnComplete: true,
      removeOnFail: this.options.keepFailed ?? 5000,
    };
  }

  private connect(): Redis {
    const connection = this.redis.duplicate({ maxRetriesPerRequest: null });
    connection.on('error', () => undefined); // The queue or worker reports its own errors.
    this.connections.push(connection);

    return connection;
  }
}

function backoffStrategy(
  attemptsMade: number,
  type: string | undefined,
  error: Error | undefined,
  job: MinimalJob | undefined,
): number {
  const configured = job?.opts.backoff;
  const backoff: Backoff = {
    type: type === BACKOFF_TYPES.exponential ? 'exponential' : 'fixed',
    delayMs: typeof configured === 'object' ? (configured.delay ?? 0) : 0,
  };

  return retryDelayMs(backoff, attemptsMade, error);
}
