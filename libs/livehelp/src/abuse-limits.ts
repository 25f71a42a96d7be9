import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { REDIS_CLIENT } from '@tocsin/redis';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { livehelpErrors } from './errors';

/**
 * The visitor side's rate limits: every visitor request per address, new sessions per
 * address, and messages per visitor. Counted in Redis when it is configured (shared by every
 * process), in memory otherwise; going over answers 429 with the wait in `Retry-After`.
 */
@Injectable()
export class AbuseLimits {
  private readonly logger = new Logger(AbuseLimits.name);
  private readonly requests: RateLimiterAbstract;
  private readonly sessions: RateLimiterAbstract;
  private readonly messages: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS_CLIENT) redis: Redis | null) {
    const limits = config.livehelp;
    const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
      const options = { keyPrefix, points, duration };
      if (!redis) return new RateLimiterMemory(options);

      // If Redis stops answering, counting goes on in memory rather than failing visitors.
      return new RateLimiterRedis({
        ...options,
        storeClient: redis,
        insuranceLimiter: new RateLimiterMemory(options),
      });
    };
    this.requests = make('tocsin:livehelp:requests', limits.requestsPerMinutePerAddress, 60);
    this.sessions = make('tocsin:livehelp:sessions', limits.sessionsPerHourPerAddress, 3600);
    this.messages = make('tocsin:livehelp:messages', limits.messagesPerMinute, 60);
  }

  request(address: string): Promise<void> {
    return this.consume(this.requests, address, 'requests');
  }

  session(address: string): Promise<void> {
    return this.consume(this.sessions, address, 'new chats');
  }

  message(visitorId: string): Promise<void> {
    return this.consume(this.messages, visitorId, 'messages');
  }

  private async consume(limiter: RateLimiterAbstract, key: string, what: string) {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) {
        // A limiter that fails is logged and lets the request through: availability first.
        this.logger.warn({ reason: (error as Error).message }, 'rate limiter failed');

        return;
      }
      throw livehelpErrors.rateLimited(what, Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    }
  }
}
