import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBody } from '../support/alert-factory';
import { ApiProcess, removeBuild } from '../support/api-process';
import {
  createAgency,
  identityEnv,
  login,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { TestSocket } from '../support/socket-client';
import { request } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two API processes sharing PostgreSQL and Redis, as a production deployment runs them. */
describe.skipIf(!process.env.DATABASE_URL)('two API processes with Redis', () => {
  let database: TestDatabase;
  let one: ApiProcess;
  let two: ApiProcess;
  let agency: TestAgency;
  let groupId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { ...database.env, ...identityEnv({ REDIS_URL }) };
    one = await ApiProcess.start(env);
    two = await ApiProcess.start(env);
    const operator = await loginOperator(one.url);
    agency = await createAgency(one.url, operator.accessToken);
    const group = await request(`${one.url}/api/groups`, {
      method: 'POST',
      token: agency.users.admin.accessToken,
      body: { name: 'Across nodes' },
    });
    groupId = group.body.id;
    await request(`${one.url}/api/groups/${groupId}/members`, {
      method: 'POST',
      token: agency.users.admin.accessToken,
      body: { userId: agency.users.responder.id },
    });
  });

  afterAll(async () => {
    await one?.stop();
    await two?.stop();
    await database?.drop();
    removeBuild();
  });

  it('delivers an alert posted on one process to a client on the other, and the answer back', async () => {
    const responder = await TestSocket.connect(two.url, agency.users.responder.accessToken);
    const dispatcher = await TestSocket.connect(two.url, agency.users.dispatcher.accessToken);
    try {
      const sent = await request(`${one.url}/api/alerts`, {
        method: 'POST',
        token: agency.users.dispatcher.accessToken,
        body: alertBody({ groupIds: [groupId], headline: 'Cross-node' }),
      });
      const [alert] = await responder.waitFor('alert.created');
      expect(alert.id).toBe(sent.body.id);

      await request(`${one.url}/api/alerts/${sent.body.id}/responses`, {
        method: 'POST',
        token: agency.users.responder.accessToken,
        body: { status: 'responding', etaMinutes: 4 },
      });
      const [response] = await dispatcher.waitFor('alert.response');
      expect(response).toMatchObject({ alertId: sent.body.id, response: 'responding' });
    } finally {
      responder.close();
      dispatcher.close();
    }
  });

  it('closes a socket on the other process when its session is logged out', async () => {
    const socket = await TestSocket.connect(two.url, agency.users.observer.accessToken);
    const closed = new Promise((resolve) => socket.socket.once('disconnect', resolve));

    const out = await request(`${one.url}/api/auth/logout`, {
      method: 'POST',
      token: agency.users.observer.accessToken,
      body: { refreshToken: agency.users.observer.refreshToken },
    });
    expect(out.status).toBeLessThan(300);
    await closed;
  });

  it('refuses the map list on the other process as soon as the session is logged out', async () => {
    const { email, password } = agency.users.dispatcher;
    const session = await login(one.url, email, password);
    const list = () =>
      request(`${two.url}/api/alerts?status=active`, { token: session.accessToken });
    expect((await list()).status).toBe(200);

    const out = await request(`${one.url}/api/auth/logout`, {
      method: 'POST',
      token: session.accessToken,
    });
    expect(out.status).toBe(204);

    // No wait and no message between the processes: the list's statement reads the session.
    const after = await list();
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('auth.session_ended');
  });
});
