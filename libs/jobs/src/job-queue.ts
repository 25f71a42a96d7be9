/**
 * The one job-queue interface of Tocsin (push fan-out, escalation timers, feed polling). Two
 * implementations sit behind it: BullMQ on Redis when REDIS_URL is set, and an in-process
 * queue otherwise. Job data must survive JSON (it crosses Redis); keep it small and free of
 * secrets, and load the rest from the database in the handler.
 */
export interface JobQueue {
  /** `bullmq` when jobs live in Redis and survive a restart, `in-process` otherwise. */
  readonly kind: 'bullmq' | 'in-process';

  /**
   * Schedules a job. With `jobId`, a job whose id is already waiting, delayed or running is
   * not added again (a repeated fan-out does not send twice).
   */
  add<T>(name: string, data: T, options?: AddJobOptions): Promise<void>;

  /** Schedules many jobs of one name at once (one round trip on Redis). */
  addBulk<T>(name: string, jobs: Array<{ data: T; options?: AddJobOptions }>): Promise<void>;

  /** Starts running jobs of `name` through `handler`, at most `concurrency` at a time. */
  process<T>(name: string, handler: JobHandler<T>, options?: ProcessOptions): void;

  /** Stops taking jobs, waits for the running ones to finish, then lets go of connections. */
  close(): Promise<void>;
}

export interface AddJobOptions {
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** How many times to run it in all before giving up (1 = no retry). Default 1. */
  attempts?: number;
  /** Pause between attempts; a handler may override it with {@link RetryJobLater}. */
  backoff?: Backoff;
  /** Deduplication key, unique per queue name. */
  jobId?: string;
}

export interface Backoff {
  type: 'fixed' | 'exponential';
  /** Fixed: the pause. Exponential: the first pause, doubled on each further attempt. */
  delayMs: number;
}

export interface ProcessOptions {
  /** Jobs of this name run at once in this process. Default 1. */
  concurrency?: number;
}

export interface JobContext {
  jobId: string;
  /** 1 on the first run, 2 on the first retry, and so on. */
  attempt: number;
  /** The `attempts` the job was added with. */
  maxAttempts: number;
}

/**
 * Does the work of one job. Resolving completes it; throwing fails the attempt, and the job
 * runs again after its backoff while attempts remain (throw {@link RetryJobLater} to choose
 * the pause instead).
 */
export type JobHandler<T> = (data: T, context: JobContext) => Promise<void>;

/**
 * Thrown by a handler to be retried after exactly `delayMs` (for example a push service's
 * 429 with Retry-After). It counts as an attempt, so a job cannot be retried forever.
 */
export class RetryJobLater extends Error {
  constructor(
    readonly delayMs: number,
    reason = 'retry requested',
  ) {
    super(reason);
    this.name = 'RetryJobLater';
  }
}

export function isRetryJobLater(error: unknown): error is RetryJobLater {
  return (
    error instanceof RetryJobLater ||
    (error instanceof Error &&
      error.name === 'RetryJobLater' &&
      typeof (error as Partial<RetryJobLater>).delayMs === 'number')
  );
}

/** The pause before attempt `failedAttempts + 1`, shared by both implementations. */
export function retryDelayMs(backoff: Backoff | undefined, failedAttempts: number, error: unknown) {
  if (isRetryJobLater(error)) return Math.max(0, error.delayMs);
  if (!backoff) return 0;
  if (backoff.type === 'fixed') return backoff.delayMs;

  return Math.round(backoff.delayMs * 2 ** Math.max(0, failedAttempts - 1));
}
