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
