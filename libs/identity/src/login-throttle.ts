import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { DomainError } from '@tocsin/common';
import { REDIS_CLIENT } from '@tocsin/redis';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

/**
 * Counts failed logins per account and per client address over a sliding window, and refuses
 * further attempts with 429 and a retry delay once either count reaches its limit. Counts
 * live in Redis when it is configured (shared by every process), in memory otherwise.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);
  private readonly perAccount: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS_CLIENT) redis: Redis | null) {
    const { perAccount, perAddress, windowSeconds } = config.identity.loginThrottle;
    const make = (keyPrefix: string, points: number): RateLimiterAbstract => {
      const options = { keyPrefix, points, duration: windowSeconds };
      if (!redis) return new RateLimiterMemory(options);

      // If Redis stops answering, counting goes on in memory rather than failing logins.
      return new RateLimiterRedis({
        ...options,
        storeClient: redis,
        insuranceLimiter: new RateLimiterMemory(options),
      });
    };
    this.perAccount = make('tocsin:login-fail:account', perAccount);
    this.perAddress = make('tocsin:login-fail:address', perAddress);
  }

  /** Throws `rate_limited` when this account or this address has failed too often. */
  async assertAllowed(email: string, address: string): Promise<void> {
    const [account, origin] = await Promise.all([
      this.perAccount.get(email),
      this.perAddress.get(address),
    ]);
    const blocked = [
      { res: account, limiter: this.perAccount },
      { res: origin, limiter: this.perAddress },
    ].filter(({ res, limiter }) => res !== null && res.consumedPoints >= limiter.points);
    if (blocked.length === 0) return;

    const waitMs = Math.max(...blocked.map(({ res }) => res?.msBeforeNext ?? 0));
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new DomainError(
      'rate_limited',
      'auth.too_many_attempts',
      `too many failed logins; try again in ${retryAfterSeconds} seconds`,
      { retryAfterSeconds },
    );
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await Promise.all([
      this.consume(this.perAccount, email),
      this.consume(this.perAddress, address),
    ]);
  }

  /** A successful login clears the account's count (not the address's). */
  async recordSuccess(email: string): Promise<void> {
    await this.perAccount.delete(email).catch((error: unknown) => {
      this.logger.warn({ reason: (error as Error).message }, 'could not reset a login counter');
    });
  }

  private async consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (error) {
      // Going over the limit is what the next assertAllowed reports; anything else is logged.
      if (!(error instanceof RateLimiterRes)) {
        this.logger.warn({ reason: (error as Error).message }, 'could not count a failed login');
      }
    }
  }
}
