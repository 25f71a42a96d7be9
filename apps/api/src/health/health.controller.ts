import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { REDIS_CLIENT } from '@tocsin/redis';
import type { Redis } from 'ioredis';
import { Public } from '@tocsin/http';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness and readiness',
    description: '200 when the database (and Redis, when configured) answer; 503 otherwise.',
  })
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3000 }),
      ...(this.redis ? [() => this.pingRedis(this.redis as Redis)] : []),
    ]);
  }

  private async pingRedis(redis: Redis) {
    const indicator = this.indicators.check('redis');
    try {
      await Promise.race([
        redis.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000)),
      ]);

      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
