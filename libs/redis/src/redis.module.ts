import { DynamicModule, Global, Inject, Injectable, Logger, Module } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

/** The shared Redis connection, or `null` when REDIS_URL is not set (single process). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(url: string | undefined): DynamicModule {
    return {
      module: RedisModule,
      providers: [{ provide: REDIS_CLIENT, useFactory: () => connect(url) }, RedisCloser],
      exports: [REDIS_CLIENT],
    };
  }
}

function connect(url: string | undefined): Redis | null {
  if (!url) return null;
  const logger = new Logger('Redis');
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  // Without a listener an unreachable Redis would crash the process; reconnection is automatic.
  redis.on('error', (error: Error) => logger.warn({ reason: error.message }, 'redis error'));

  return redis;
}
