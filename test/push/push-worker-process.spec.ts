import { randomInt } from 'node:crypto';
import { JOB_QUEUE_PREFIX } from '@tocsin/jobs';
import { PUSH_SEND_JOB } from '@tocsin/push';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendAlertToGroup } from '../support/alert-factory';
import { ApiProcess, removeBuild, runServerToExit, WorkerProcess } from '../support/api-process';
import {
  createAgency,
  createGroupWith,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { LocalPushService, registerDevice, type TestSubscription } from '../support/push-service';
import { request } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * An API process with PUSH_WORKER=off beside a worker process (`npm run worker`), sharing
 * PostgreSQL and Redis as a production deployment does, sending to the local HTTPS push
 * service (which checks VAPID and decrypts every body).
 */
describe.skipIf(!process.env.DATABASE_URL)('the push worker in a process of its own', () => {
  // A Redis database of this file's own: API processes of other tests (or other checkouts)
  // on the default one would otherwise take these push jobs with their own workers.
  const redisUrl = `${REDIS_URL.replace(/\/\d*$/, '')}/${randomInt(1, 16)}`;
  let database: TestDatabase;
  let service: LocalPushService;
  let api: ApiProcess;
  let worker: WorkerProcess | undefined;
  let queue: Queue;
  let agency: TestAgency;
  let groupId: string;
  let phone: TestSubscription;
  let env: Record<string, string>;
  /** The alert posted while no worker ran. */
  let queuedId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await LocalPushService.start({ http2: true });
    env = {
      ...database.env,
      ...identityEnv({ REDIS_URL: redisUrl, PUSH_ALLOWED_HOSTS: service.host }),
    };
    api = await ApiProcess.start({ ...env, PUSH_WORKER: 'off' });
    queue = new Queue(PUSH_SEND_JOB, { connection: { url: redisUrl }, prefix: JOB_QUEUE_PREFIX });

    const operator = await loginOperator(api.url);
    agency = await createAgency(api.url, operator.accessToken);
    groupId = await createGroupWith(api.url, agency.users.admin.accessToken, 'Engine 9', [
      agency.users.responder.id,
    ]);
    phone = await registerDevice(api.url, agency.users.responder.accessToken, service);
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await service?.close();
    await database?.drop();
    removeBuild();
  });

  const postAlert = (headline: string) =>
    sendAlertToGroup(api.url, agency.users.dispatcher.accessToken, groupId, headline);

  const pushFigures = async (alertId: string) => {
    const listed = await request(`${api.url}/api/alerts/${alertId}/recipients`, {
      token: agency.users.dispatcher.accessToken,
    });

    return listed.body.push;
  };

  it('queues an alert’s push on Redis but does not send it from the API', async () => {
    const alertId = await postAlert('Queued while no worker runs');
    queuedId = alertId;

    await expect
      .poll(() => pushFigures(alertId), { timeout: 15_000 })
      .toMatchObject({
        pending: 1,
        sent: 0,
      });
    await expect.poll(() => queue.getWaitingCount(), { timeout: 15_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(service.pushesTo(phone)).toEqual([]);
    expect(await pushFigures(alertId)).toMatchObject({ pending: 1, sent: 0 });
  });

  it('sends what was queued once a worker process starts, and then each new alert', async () => {
    worker = await WorkerProcess.start(env);
    const [first] = await service.waitFor(phone, 1);
    expect(first.problem).toBeUndefined();
    expect(JSON.parse(first.plaintext!)).toMatchObject({ kind: 'alert', id: queuedId });
    await expect
      .poll(() => pushFigures(queuedId), { timeout: 15_000 })
      .toMatchObject({ sent: 1, pending: 0 });

    const liveId = await postAlert('Sent by the worker process');
    const pushes = await service.waitFor(phone, 2);
    expect(JSON.parse(pushes[1].plaintext!)).toMatchObject({
      kind: 'alert',
      id: liveId,
      headline: 'Sent by the worker process',
    });
    await expect
      .poll(() => pushFigures(liveId), { timeout: 15_000 })
      .toMatchObject({ sent: 1, pending: 0 });
    // The queued alert was sent once, although the worker's start also resumed it.
    expect(service.pushesTo(phone)).toHaveLength(2);
    expect(await worker.stop()).toBe(0);
    worker = undefined;
  });

  it('refuses PUSH_WORKER=off without Redis, and a worker without Redis', async () => {
    const withoutRedis = { ...env, REDIS_URL: '' };
    const offAlone = await runServerToExit({ ...withoutRedis, PUSH_WORKER: 'off' });
    const workerAlone = await runServerToExit(withoutRedis, 60_000, 'worker');

    expect(offAlone.code).toBe(2);
    expect(offAlone.output).toMatch(/PUSH_WORKER: off needs REDIS_URL/);
    expect(workerAlone.code).toBe(2);
    expect(workerAlone.output).toMatch(/REDIS_URL: the worker takes its jobs from Redis/);
  });
});
