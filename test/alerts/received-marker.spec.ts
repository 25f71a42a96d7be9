import { RecipientsRepository } from '@tocsin/alerts';
import { MAX_RECEIVED_ALERTS } from '@tocsin/contracts';
import { OutboxService } from '@tocsin/outbox';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sendAlertToGroup } from '../support/alert-factory';
import {
  createAgency,
  createUser,
  identityEnv,
  loginOperator,
  type TestAgency,
  type TestUser,
} from '../support/identity-factory';
import { pause, TestSocket } from '../support/socket-client';
import { request, startTestApp, type TestApp } from '../support/test-app';

/**
 * The catch-up on connect skips what the client says it has (`auth.received`): an
 * acknowledgement lost before the server wrote it (a process killed with its batch) must not
 * make a reconnecting client get the alert again. A client that does not acknowledge stands
 * for that lost write here: the server never records its delivery.
 */
describe('catch-up with the alerts a client already has', () => {
  let api: TestApp;
  let operatorToken: string;
  let agency: TestAgency;
  const sockets: TestSocket[] = [];

  const connect = async (user: TestUser, auth?: Record<string, unknown>, autoAck = true) => {
    const socket = await TestSocket.connect(api.url, user.accessToken, { auth, autoAck });
    sockets.push(socket);

    return socket;
  };

  /** A responder of their own, alone in a group of their own: no other test's alerts. */
  const newRecipient = async () => {
    const user = await createUser(api.url, operatorToken, agency.id, 'responder');
    const admin = agency.users.admin.accessToken;
    const group = await request(`${api.url}/api/groups`, {
      method: 'POST',
      token: admin,
      body: { name: `Team of ${user.email}` },
    });
    await request(`${api.url}/api/groups/${group.body.id}/members`, {
      method: 'POST',
      token: admin,
      body: { userId: user.id },
    });

    return { user, groupId: group.body.id as string };
  };

  const send = (groupId: string, headline: string) =>
    sendAlertToGroup(api.url, agency.users.dispatcher.accessToken, groupId, headline);

  const deliveredAt = async (alertId: string, userId: string) => {
    const list = await request(`${api.url}/api/alerts/${alertId}/recipients`, {
      token: agency.users.dispatcher.accessToken,
    });

    return list.body.recipients.find((r: { userId: string }) => r.userId === userId)?.deliveredAt;
  };

  const about = (socket: TestSocket, alertId: string) =>
    socket.received.filter((r) => r.payload?.id === alertId);

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    operatorToken = (await loginOperator(api.url)).accessToken;
    agency = await createAgency(api.url, operatorToken);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) socket.close();
  });

  /** Holds every call of `method` until the returned `release` is called. */
  const hold = <T extends object>(target: T, method: keyof T & string) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = (target[method] as (...args: unknown[]) => unknown).bind(target);
    vi.spyOn(target, method as never).mockImplementation((async (...args: unknown[]) => {
      await gate;

      return original(...args);
    }) as never);

    return release;
  };

  afterAll(async () => {
    await api?.close();
  });

  it('does not send again what the client has, and records it as delivered', async () => {
    const { user, groupId } = await newRecipient();
    const first = await connect(user, undefined, false);
    const alertId = await send(groupId, 'Acknowledgement lost');
    const [alert] = await first.waitFor('alert.created');
    first.close();
    await pause(200);
    expect(await deliveredAt(alertId, user.id)).toBeNull();

    const back = await connect(user, { received: { [alertId]: alert.seq } });
    await pause(400);
    expect(about(back, alertId)).toEqual([]);
    expect(await deliveredAt(alertId, user.id)).not.toBeNull();

    // The ledger now says delivered: a client without the marker is not sent it either.
    const fresh = await connect(user);
    await pause(400);
    expect(about(fresh, alertId)).toEqual([]);
  });

  it('cannot suppress deliveries addressed to another user', async () => {
    const { user: addressee, groupId } = await newRecipient();
    const { user: other } = await newRecipient();
    const alertId = await send(groupId, 'Not yours to hide');

    const meddler = await connect(other, { received: { [alertId]: 1 } });
    await pause(400);
    expect(about(meddler, alertId)).toEqual([]);
    expect(await deliveredAt(alertId, addressee.id)).toBeNull();

    const phone = await connect(addressee);
    await phone.waitFor('alert.created');
    await pause(300);
    expect(about(phone, alertId)).toHaveLength(1);
  });

  it('does not let a claimed seq beyond the alert hide its later updates', async () => {
    const { user, groupId } = await newRecipient();
    const alertId = await send(groupId, 'Updated later');
    const claims = await connect(user, { received: { [alertId]: 99 } });
    await pause(400);
    expect(about(claims, alertId)).toEqual([]);
    claims.close();

    const updated = await request(`${api.url}/api/alerts/${alertId}/update`, {
      method: 'POST',
      token: agency.users.dispatcher.accessToken,
      body: { severity: 'Extreme' },
    });
    expect(updated.status).toBe(200);
    const back = await connect(user);
    const [update] = await back.waitFor('alert.updated');
    expect(update).toMatchObject({ id: alertId, seq: 2 });
  });

  it('does not catch a socket up on an alert it got live while connecting', async () => {
    const { user, groupId } = await newRecipient();
    const release = hold(api.app.get(RecipientsRepository), 'pendingFor');
    const phone = await connect(user);
    // The socket is in its rooms, its catch-up still reading: the alert goes out live.
    const alertId = await send(groupId, 'Sent while connecting');
    await phone.waitFor('alert.created');
    release();
    await pause(400);
    expect(about(phone, alertId)).toHaveLength(1);
  });

  it('leaves out of the fan-out a socket the catch-up already sent the alert', async () => {
    const { user, groupId } = await newRecipient();
    const release = hold(api.app.get(OutboxService), 'deliverOwned');
    // Committed, its fan-out not run yet: the catch-up of a socket connecting now has it.
    const alertId = await send(groupId, 'Caught up first');
    const phone = await connect(user);
    await phone.waitFor('alert.created');
    release();
    await pause(400);
    expect(about(phone, alertId)).toHaveLength(1);
  });

  it('ignores a malformed marker and sends everything pending', async () => {
    const { user, groupId } = await newRecipient();
    const alertId = await send(groupId, 'Sent despite a bad marker');
    const tooMany = Object.fromEntries(
      Array.from({ length: MAX_RECEIVED_ALERTS + 1 }, (_, i) => [
        i === 0 ? alertId : `0b5e7a52-8f0c-4d3e-9a51-${String(i).padStart(12, '0')}`,
        1,
      ]),
    );
    const markers = ['everything', [alertId], { [alertId]: '1' }, { [alertId]: -1 }, tooMany];

    for (const received of markers) {
      // Not acknowledged, so that the alert stays pending for the next marker.
      const socket = await connect(user, { received }, false);
      await socket.waitFor('alert.created');
      expect(about(socket, alertId)).toHaveLength(1);
      expect(socket.socket.connected).toBe(true);
      socket.close();
    }
  });
});
