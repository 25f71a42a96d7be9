import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBody } from '../support/alert-factory';
import { ApiProcess, removeBuild } from '../support/api-process';
import {
  createAgency,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { LocalPushService } from '../support/push-service';
import { pause, TestSocket } from '../support/socket-client';
import { request } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * The promise that nothing is lost between the commit and the fan-out: the server is killed
 * (SIGKILL, by a test-only failpoint) right after committing an alert and before sending it;
 * a new server on the same database must deliver it, by push and by socket, exactly once.
 */
describe('a server killed between commit and fan-out', () => {
  let database: TestDatabase;
  let push: LocalPushService;
  let first: ApiProcess | undefined;
  let second: ApiProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    push = await LocalPushService.start();
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await push?.close();
    await database?.drop();
    removeBuild();
  });

  it('delivers the alert after a restart', async () => {
    const env = { ...database.env, ...identityEnv({ PUSH_ALLOWED_HOSTS: push.host }) };
    first = await ApiProcess.start({ ...env, TOCSIN_FAILPOINTS: 'outbox.crash-before-dispatch' });
    const operator = await loginOperator(first.url);
    const agency: TestAgency = await createAgency(first.url, operator.accessToken);
    const group = await request(`${first.url}/api/groups`, {
      method: 'POST',
      token: agency.users.admin.accessToken,
      body: { name: 'Night shift' },
    });
    await request(`${first.url}/api/groups/${group.body.id}/members`, {
      method: 'POST',
      token: agency.users.admin.accessToken,
      body: { userId: agency.users.responder.id },
    });
    const phone = push.subscribe();
    await request(`${first.url}/api/push/subscriptions`, {
      method: 'POST',
      token: agency.users.responder.accessToken,
      body: { endpoint: phone.endpoint, keys: phone.keys },
    });

    const posting = fetch(`${first.url}/api/alerts`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${agency.users.dispatcher.accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(
        alertBody({ groupIds: [group.body.id], headline: 'Lost in the crash?' }),
      ),
    });
    await expect(posting).rejects.toThrow();
    expect(await first.waitForExit()).toBeNull();
    expect(push.pushesTo(phone)).toHaveLength(0);

    second = await ApiProcess.start(env);
    const [pushed] = await push.waitFor(phone, 1);
    expect(JSON.parse(pushed.plaintext as string).headline).toBe('Lost in the crash?');

    const socket = await TestSocket.connect(second.url, agency.users.responder.accessToken);
    try {
      await socket.waitFor('alert.created');
      await pause(500);
      const alerts = socket
        .events('alert.created')
        .filter((a) => a.headline === 'Lost in the crash?');
      expect(alerts).toHaveLength(1);
      expect(push.pushesTo(phone)).toHaveLength(1);
    } finally {
      socket.close();
    }
  });
});
