import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BullMqJobQueue } from './bullmq-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { RetryJobLater, type JobQueue } from './job-queue';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the jobs');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same contract, run against both implementations. */
function contract(label: string, make: () => JobQueue) {
  describe(label, () => {
    let queue: JobQueue;

    afterEach(async () => {
      await queue?.close();
    });

    it('runs every job, never more at once than the concurrency', async () => {
      queue = make();
      let running = 0;
      let peak = 0;
      const done: number[] = [];
      queue.process<{ n: number }>(
        'work',
        async ({ n }) => {
          running++;
          peak = Math.max(peak, running);
          await sleep(40);
          running--;
          done.push(n);
        },
        { concurrency: 2 },
      );

      await queue.addBulk(
        'work',
        [1, 2, 3, 4, 5, 6].map((n) => ({ data: { n } })),
      );
      await waitFor(() => done.length === 6);

      expect(peak).toBe(2);
      expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('holds a delayed job until its time', async () => {
      queue = make();
      let ranAt = 0;
      queue.process('later', async () => {
        ranAt = Date.now();
      });

      const addedAt = Date.now();
      await queue.add('later', {}, { delayMs: 300 });
      await waitFor(() => ranAt > 0);

      expect(ranAt - addedAt).toBeGreaterThanOrEqual(290);
    });

    it('retries with exponential backoff, then gives up after its attempts', async () => {
      queue = make();
      const runs: Array<{ at: number; attempt: number; max: number }> = [];
      queue.process('flaky', async (_data, context) => {
        runs.push({ at: Date.now(), attempt: context.attempt, max: context.maxAttempts });
        throw new Error('push service down');
      });

      await queue.add('flaky', {}, { attempts: 3, backoff: { type: 'exponential', delayMs: 100 } });
      await waitFor(() => runs.length === 3);
      await sleep(300);

      expect(runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
      expect(runs.every((run) => run.max === 3)).toBe(true);
      expect(runs[1].at - runs[0].at).toBeGreaterThanOrEqual(95);
      expect(runs[2].at - runs[1].at).toBeGreaterThanOrEqual(195);
    });

    it('lets a handler choose the pause before its retry', async () => {
      queue = make();
      const runs: number[] = [];
      queue.process('throttled', async () => {
        runs.push(Date.now());
        if (runs.length === 1) throw new RetryJobLater(400, 'Retry-After');
      });

      await queue.add('throttled', {}, { attempts: 2, backoff: { type: 'fixed', delayMs: 5 } });
      await waitFor(() => runs.length === 2);

      expect(runs[1] - runs[0]).toBeGreaterThanOrEqual(390);
    });

    it('adds a job once while its id is pending', async () => {
      queue = make();
      const seen: string[] = [];
      await queue.add('once', { v: 'first' }, { jobId: 'delivery-1', delayMs: 100 });
      await queue.add('once', { v: 'second' }, { jobId: 'delivery-1' });
      queue.process<{ v: string }>('once', async ({ v }) => {
        seen.push(v);
      });

      await waitFor(() => seen.length === 1);
      await sleep(200);

      expect(seen).toEqual(['first']);
    });

    it('lets running jobs finish on close', async () => {
      queue = make();
      let finished = false;
      let started = false;
      queue.process('slow', async () => {
        started = true;
        await sleep(200);
        finished = true;
      });
      await queue.add('slow', {});
      await waitFor(() => started);

      await queue.close();

      expect(finished).toBe(true);
    });
  });
}

contract('InProcessJobQueue', () => new InProcessJobQueue());

describe('BullMqJobQueue on Redis', () => {
  let redis: Redis;
  const prefixes: string[] = [];

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true });
    await redis.connect();
  });

  afterAll(async () => {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await redis?.quit();
  });

  contract('contract', () => {
    const prefix = `tocsin-test-${randomBytes(6).toString('hex')}`;
    prefixes.push(prefix);

    return new BullMqJobQueue(redis, { prefix });
  });
});
