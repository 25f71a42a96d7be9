import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '@tocsin/config';
import type { DatabaseEndpoint } from '@tocsin/database';
import { PinoNestLogger } from '@tocsin/logging';
import type { Logger } from 'pino';
import { WorkerModule } from './worker.module';

/**
 * Why this configuration cannot run a worker process, or undefined when it can. It needs the
 * queue and the database the API processes use: Redis and a PostgreSQL server (the embedded
 * database belongs to the one API process that started it).
 */
export function workerConfigProblem(config: AppConfig): string | undefined {
  if (!config.redis) return 'REDIS_URL: the worker takes its jobs from Redis; set it as on the API';
  if (config.database.kind !== 'postgres') {
    return "DATABASE_URL: the worker shares the API processes' PostgreSQL; set it as on the API";
  }

  return undefined;
}

/** The worker as a Nest application context (no HTTP server), initialised and taking jobs. */
export async function createWorker(
  config: AppConfig,
  endpoint: DatabaseEndpoint,
  logger: Logger,
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, endpoint), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  await app.init();

  return app;
}
