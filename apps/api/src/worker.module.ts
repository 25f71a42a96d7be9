import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@tocsin/config';
import type { DatabaseEndpoint } from '@tocsin/database';
import { JobsModule } from '@tocsin/jobs';
import { PushWorkerModule } from '@tocsin/push';
import { processFoundation } from './schema';

/**
 * What the worker process runs: the push worker on the shared database and the Redis queue,
 * without HTTP, sockets or the other libraries. The API owns the schema; this waits for it.
 *
 * TODO: the other jobs (escalation timers, feed polling, chat retention, abandoned Live Help
 * chats) still run in the API processes: they are light (one job per alert, feed or interval,
 * not a storm of thousands) and escalation and feeds end in socket events and outbox rows
 * that the API's relay sends. Moving them would need a Socket.IO Redis emitter here.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, endpoint: DatabaseEndpoint): DynamicModule {
    return {
      module: WorkerModule,
      imports: [...processFoundation(config, endpoint, 'await'), JobsModule, PushWorkerModule],
    };
  }
}
