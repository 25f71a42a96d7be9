import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { loadConfig } from '@tocsin/config';
import { openDatabaseEndpoint, type DatabaseEndpoint } from '@tocsin/database';
import { createRootLogger } from '@tocsin/logging';
import { createWorker } from '../../apps/api/src/create-worker';
import { serve } from '../harness/child';

/**
 * Tocsin's push worker in a process of its own, as `npm run worker` runs it (the same
 * createWorker), started on the benchmark's database and Redis once the API has migrated.
 */
let endpoint: DatabaseEndpoint | undefined;
let app: INestApplicationContext | undefined;

serve({
  start: async (env: Record<string, string>) => {
    const config = loadConfig(env);
    const logger = createRootLogger(config.log);
    endpoint = await openDatabaseEndpoint(config.database, logger);
    app = await createWorker(config, endpoint, logger);
  },
  close: async () => {
    await app?.close();
    await endpoint?.close();
  },
});
