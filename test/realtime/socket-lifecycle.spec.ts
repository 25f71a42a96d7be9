import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgency,
  createUser,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { pause, TestSocket } from '../support/socket-client';
import { request, startTestApp, type TestApp } from '../support/test-app';

const closedWithin = (socket: TestSocket, ms: number) =>
  new Promise<boolean>((resolve) => {
    if (!socket.socket.connected) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    socket.socket.once('disconnect', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/** A new session: tokens in these tests live 6 seconds, so each test logs in afresh. */
async function session(url: string, user: { email: string; password: string }) {
  const response = await request(`${url}/api/auth/login`, {
    method: 'POST',
    body: { email: user.email, password: user.password },
  });

  return response.body as { accessToken: string; refreshToken: string };
}

describe('socket lifetime follows the session', () => {
  let api: TestApp;
  let agency: TestAgency;

  beforeAll(async () => {
    // Tokens of 6 seconds, so expiry can be watched in a test.
    api = await startTestApp(identityEnv({ ACCESS_TOKEN_TTL_SECONDS: '6' }));
    const operator = await loginOperator(api.url);
    agency = await createAgency(api.url, operator.accessToken);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('closes a socket whose token expires, and keeps one that refreshes in time', async () => {
    const responder = await session(api.url, agency.users.responder);
    const observer = await session(api.url, agency.users.observer);
    const lapsing = await TestSocket.connect(api.url, responder.accessToken);
    const refreshing = await TestSocket.connect(api.url, observer.accessToken);
    const [warning] = await refreshing.waitFor('auth.expiring');
    expect(warning.expiresAt).toBeGreaterThan(Date.now());

    // As the PWA does: on each warning, rotate the refresh token and hand the socket the new one.
    let refreshToken = observer.refreshToken;
    const answers: any[] = [];
    const renew = async () => {
      const renewed = await request(`${api.url}/api/auth/refresh`, {
        method: 'POST',
        body: { refreshToken },
      });
      refreshToken = renewed.body.refreshToken;
      answers.push(await refreshing.emit('auth.refresh', { token: renewed.body.accessToken }));
    };
    refreshing.socket.on('auth.expiring', () => void renew());
    await renew();

    expect(await closedWithin(lapsing, 9000)).toBe(true);
    await pause(1500);
    expect(refreshing.socket.connected).toBe(true);
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(answers.length).toBeLessThan(6);
    expect(answers.every((answer) => answer.ok)).toBe(true);
    refreshing.close();
  });

  it('refuses a refresh with another user’s token', async () => {
    const socket = await TestSocket.connect(
      api.url,
      (await session(api.url, agency.users.responder)).accessToken,
    );
    const other = { body: await session(api.url, agency.users.dispatcher) };
    try {
      const answer = await socket.emit('auth.refresh', { token: other.body.accessToken });
      expect(answer).toMatchObject({ ok: false, error: { statusCode: 401 } });
    } finally {
      socket.close();
    }
  });

  it('refuses a user who must still replace a temporary password, until it is replaced', async () => {
    const operator = await loginOperator(api.url);
    const user = await createUser(api.url, operator.accessToken, agency.id, 'responder', {
      keepTemporaryPassword: true,
    });
    const pair = await session(api.url, user);

    await expect(TestSocket.connect(api.url, pair.accessToken)).rejects.toThrow(
      /password\.change_required/,
    );

    const changed = await request(`${api.url}/api/me/password`, {
      method: 'PUT',
      token: pair.accessToken,
      body: { currentPassword: user.password, newPassword: `${user.password}-own` },
    });
    expect(changed.status).toBe(204);
    const socket = await TestSocket.connect(api.url, pair.accessToken);
    expect(socket.socket.connected).toBe(true);
    socket.close();
  });

  it('closes the sockets of a user disabled or logged out a moment ago', async () => {
    const admin = await session(api.url, agency.users.admin);
    const fresh = { body: await session(api.url, agency.users.dispatcher) };
    const disabledUser = await TestSocket.connect(api.url, fresh.body.accessToken);
    const disabled = await request(`${api.url}/api/users/${agency.users.dispatcher.id}/disable`, {
      method: 'POST',
      token: admin.accessToken,
      body: {},
    });
    expect(disabled.status).toBeLessThan(300);
    expect(await closedWithin(disabledUser, 3000)).toBe(true);
    await expect(TestSocket.connect(api.url, fresh.body.accessToken)).rejects.toThrow(
      /unauthorized/,
    );

    const loggedOut = await TestSocket.connect(api.url, admin.accessToken);
    await request(`${api.url}/api/auth/logout`, {
      method: 'POST',
      token: admin.accessToken,
      body: { refreshToken: admin.refreshToken },
    });
    expect(await closedWithin(loggedOut, 3000)).toBe(true);
  });

  it('refuses ended sessions among the live handshakes of a storm', async () => {
    const operator = await loginOperator(api.url);
    const other = await createAgency(api.url, operator.accessToken);
    const admin = await session(api.url, other.users.admin);
    const loggedOut = await session(api.url, other.users.admin);
    const disabledUser = await session(api.url, other.users.dispatcher);
    await request(`${api.url}/api/auth/logout`, {
      method: 'POST',
      token: loggedOut.accessToken,
      body: { refreshToken: loggedOut.refreshToken },
    });
    const disabled = await request(`${api.url}/api/users/${other.users.dispatcher.id}/disable`, {
      method: 'POST',
      token: admin.accessToken,
      body: {},
    });
    expect(disabled.status).toBeLessThan(300);
    // Tokens live 6 seconds here: the live ones are taken last.
    const live = await Promise.all(
      [other.users.responder, other.users.observer, other.users.responder].map((user) =>
        session(api.url, user),
      ),
    );

    // All at once, the same token twice among them: their session checks share one query.
    const tokens = [...live, admin, loggedOut, disabledUser, live[0]].map((s) => s.accessToken);
    const outcomes = await Promise.allSettled(
      tokens.map((token) => TestSocket.connect(api.url, token)),
    );
    const connected = outcomes.map((outcome) => outcome.status === 'fulfilled');
    expect(connected).toEqual([true, true, true, true, false, false, true]);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') outcome.value.close();
      else expect(String(outcome.reason)).toMatch(/unauthorized/);
    }
  });
});
