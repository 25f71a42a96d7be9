import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  retryDelayMs,
  type AddJobOptions,
  type JobHandler,
  type JobQueue,
  type ProcessOptions,
} from './job-queue';

interface Entry {
  id: string;
  data: unknown;
  /** Attempts that have failed so far. */
  failed: number;
  maxAttempts: number;
  backoff: AddJobOptions['backoff'];
}

interface Channel {
  handler: JobHandler<unknown> | undefined;
  concurrency: number;
  ready: Entry[];
  active: number;
  /** Every job id not yet finished (ready, delayed or running), for deduplication. */
  ids: Set<string>;
}

/**
 * The queue of a single process: bounded concurrency per job name, delays, retries with
 * backoff and a graceful close. Nothing survives a restart, so work that must not be lost
 * keeps its own record (push deliveries are re-enqueued from the database at start).
 */
export class InProcessJobQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly logger = new Logger(InProcessJobQueue.name);
  private readonly channels = new Map<string, Channel>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  async add<T>(name: string, data: T, options: AddJobOptions = {}): Promise<void> {
    this.enqueue(name, data, options);
  }

  async addBulk<T>(name: string, jobs: Array<{ data: T; options?: AddJobOptions }>) {
    for (const job of jobs) this.enqueue(name, job.data, job.options ?? {});
  }

  process<T>(name: string, handler: JobHandler<T>, options: ProcessOptions = {}): void {
    const channel = this.channel(name);
    if (channel.handler) throw new Error(`jobs named ${name} already have a handler`);
    channel.handler = handler as JobHandler<unknown>;
    channel.concurrency = Math.max(1, options.concurrency ?? 1);
    this.dispatch(channel);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();

    const dropped = [...this.channels.values()].reduce((sum, c) => sum + c.ready.length, 0);
    for (const channel of this.channels.values()) channel.ready = [];
    if (dropped > 0) this.logger.warn({ dropped }, 'closing with jobs not started');

    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private enqueue(name: string, data: unknown, options: AddJobOptions): void {
    if (this.closed) throw new Error('the job queue is closed');
    const channel = this.channel(name);
    const id = options.jobId ?? randomUUID();
    if (channel.ids.has(id)) return;
    channel.ids.add(id);

    // A structured clone gives the handler what BullMQ would: a copy, not the caller's object.
    const entry: Entry = {
      id,
      data: structuredClone(data),
      failed: 0,
      maxAttempts: Math.max(1, options.attempts ?? 1),
      backoff: options.backoff,
    };
    this.schedule(channel, entry, options.delayMs ?? 0);
  }

  private schedule(channel: Channel, entry: Entry, delayMs: number): void {
    if (delayMs <= 0) {
      channel.ready.push(entry);
      this.dispatch(channel);

      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      channel.ready.push(entry);
      this.dispatch(channel);
    }, delayMs);
    this.timers.add(timer);
  }

  private dispatch(channel: Channel): void {
    while (
      !this.closed &&
      channel.handler &&
      channel.active < channel.concurrency &&
      channel.ready.length > 0
    ) {
      const entry = channel.ready.shift() as Entry;
      channel.active++;
      const run = this.run(channel, channel.handler, entry).finally(() => {
        channel.active--;
        this.running.delete(run);
        this.dispatch(channel);
      });
      this.running.add(run);
    }
  }

  private async run(channel: Channel, handler: JobHandler<unknown>, entry: Entry): Promise<void> {
    const attempt = entry.failed + 1;
    try {
      await handler(entry.data, { jobId: entry.id, attempt, maxAttempts: entry.maxAttempts });
      channel.ids.delete(entry.id);
    } catch (error) {
      entry.failed = attempt;
      if (attempt < entry.maxAttempts && !this.closed) {
        this.schedule(channel, entry, retryDelayMs(entry.backoff, attempt, error));

        return;
      }
      channel.ids.delete(entry.id);
      this.logger.warn(
        { jobId: entry.id, attempts: attempt, reason: (error as Error).message },
        'job failed',
      );
    }
  }

  private channel(name: string): Channel {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { handler: undefined, concurrency: 1, ready: [], active: 0, ids: new Set() };
      this.channels.set(name, channel);
    }

    return channel;
  }
}
