import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '@tocsin/config';
import { DatabaseModule, type DatabaseEndpoint } from '@tocsin/database';
import { JobsModule } from '@tocsin/jobs';
import { PushWorkerModule } from '@tocsin/push';
import { RedisModule } from '@tocsin/redis';
import { ALL_MIGRATIONS } from './schema';

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
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({
          endpoint,
          migrations: ALL_MIGRATIONS,
          connectRetries: config.database.connectRetries,
          retryDelayMs: config.database.retryDelayMs,
          schema: 'await',
        }),
        RedisModule.forRoot(config.redis?.url),
        JobsModule,
        PushWorkerModule,
      ],
    };
  }
}
