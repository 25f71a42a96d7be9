import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { REDIS_CLIENT } from '@tocsin/redis';
import type { Redis } from 'ioredis';
import { BullMqJobQueue } from './bullmq-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import type { JobQueue } from './job-queue';

/** Injection token for the process's {@link JobQueue}. */
export const JOB_QUEUE = Symbol('JOB_QUEUE');

/** Key prefix of every BullMQ queue in Redis. */
export const JOB_QUEUE_PREFIX = 'tocsin';

/** BullMQ when Redis is configured (REDIS_URL), the in-process queue otherwise. */
export function createJobQueue(redis: Redis | null, prefix = JOB_QUEUE_PREFIX): JobQueue {
  return redis ? new BullMqJobQueue(redis, { prefix }) : new InProcessJobQueue();
}

@Injectable()
class JobQueueCloser implements BeforeApplicationShutdown {
  constructor(@Inject(JOB_QUEUE) private readonly queue: JobQueue) {}

  // Before shutdown, not on it: running jobs still need the database and Redis to finish.
  async beforeApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: JOB_QUEUE,
      inject: [REDIS_CLIENT],
      useFactory: (redis: Redis | null) => {
        const queue = createJobQueue(redis);
        new Logger('Jobs').log({ queue: queue.kind }, 'job queue ready');

        return queue;
      },
    },
    JobQueueCloser,
  ],
  exports: [JOB_QUEUE],
})
export class JobsModule {}
