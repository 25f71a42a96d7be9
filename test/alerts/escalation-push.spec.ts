import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBody } from '../support/alert-factory';
import {
  createAgency,
  createGroupWith,
  createUser,
  identityEnv,
  loginOperator,
  type TestAgency,
  type TestUser,
} from '../support/identity-factory';
import { LocalPushService, registerDevice, type TestSubscription } from '../support/push-service';
import { pause, TestSocket } from '../support/socket-client';
import { request, startTestApp, type TestApp } from '../support/test-app';

describe('alert push and escalation', () => {
  let push: LocalPushService;
  let api: TestApp;
  let agency: TestAgency;
  let backup: TestUser;
  let groupId: string;
  let backupGroupId: string;
  let phone: TestSubscription;

  beforeAll(async () => {
    push = await LocalPushService.start();
    api = await startTestApp(identityEnv({ PUSH_ALLOWED_HOSTS: push.host }));
    const operator = await loginOperator(api.url);
    agency = await createAgency(api.url, operator.accessToken);
    backup = await createUser(api.url, operator.accessToken, agency.id, 'responder');

    const admin = agency.users.admin.accessToken;
    groupId = await createGroupWith(api.url, admin, 'Engine 7', [agency.users.responder.id]);
    backupGroupId = await createGroupWith(api.url, admin, 'Reserve', [backup.id]);
    phone = await registerDevice(api.url, agency.users.responder.accessToken, push);
  });

  afterAll(async () => {
    await api?.close();
    await push?.close();
  });

  it('pushes the alert to the recipient’s phone with its severity and headline', async () => {
    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: agency.users.dispatcher.accessToken,
      body: alertBody({ groupIds: [groupId], headline: 'Structure fire, Rue Garibaldi' }),
    });
    expect(sent.status).toBe(201);

    const [received] = await push.waitFor(phone, 1);
    const payload = JSON.parse(received.plaintext as string);
    expect(payload).toMatchObject({
      kind: 'alert',
      id: sent.body.id,
      severity: 'Severe',
      headline: 'Structure fire, Rue Garibaldi',
    });
    expect(received.urgency).toBe('high');

    // The push hand-off runs after the socket writes, outside the request: poll for its mark.
    await expect
      .poll(async () => {
        const listed = await request(`${api.url}/api/alerts/${sent.body.id}/recipients`, {
          token: agency.users.dispatcher.accessToken,
        });

        return listed.body.recipients[0].pushedAt;
      })
      .not.toBeNull();
    await expect
      .poll(async () => {
        const again = await request(`${api.url}/api/alerts/${sent.body.id}/recipients`, {
          token: agency.users.dispatcher.accessToken,
        });

        return again.body.push;
      })
      .toMatchObject({ sent: 1, failed: 0, removed: 0, pending: 0 });

    // Someone without a device is not reported as pushed.
    const deviceless = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: agency.users.dispatcher.accessToken,
      body: alertBody({ groupIds: [backupGroupId], headline: 'No phone' }),
    });
    // Long enough for the hand-off that runs after the request (the device above took less).
    await pause(500);
    const listed = await request(`${api.url}/api/alerts/${deviceless.body.id}/recipients`, {
      token: agency.users.dispatcher.accessToken,
    });
    expect(listed.body.recipients.map((r: any) => r.pushedAt)).toEqual([null]);
  });

  it('chases silence: reminds the silent, tells the dispatcher, alerts the backup group', async () => {
    const silent = await TestSocket.connect(api.url, agency.users.responder.accessToken);
    const dispatcher = await TestSocket.connect(api.url, agency.users.dispatcher.accessToken);
    const reserve = await TestSocket.connect(api.url, backup.accessToken);
    const before = push.pushesTo(phone).length;
    try {
      const sent = await request(`${api.url}/api/alerts`, {
        method: 'POST',
        token: agency.users.dispatcher.accessToken,
        body: alertBody({
          groupIds: [groupId],
          headline: 'Flooded underpass',
          escalation: { afterSeconds: 5, backupGroupId },
        }),
      });
      expect(sent.body.recipientCount).toBe(1);
      await silent.waitFor('alert.created');
      const ofThisAlert = (events: { id: string }[]) => events.filter((e) => e.id === sent.body.id);
      expect(ofThisAlert(reserve.events('alert.created'))).toEqual([]);

      const [reminder] = await silent.waitFor('alert.escalated', 1, 10_000);
      expect(reminder.id).toBe(sent.body.id);
      const [notice] = await dispatcher.waitFor('alert.silent', 1, 5_000);
      expect(notice).toMatchObject({ alertId: sent.body.id, userIds: [agency.users.responder.id] });
      await expect
        .poll(() => ofThisAlert(reserve.events('alert.created')).length, { timeout: 5_000 })
        .toBe(1);

      const pushes = await push.waitFor(phone, before + 2);
      const last = JSON.parse(pushes.at(-1)?.plaintext as string);
      expect(last.headline).toMatch(/^No answer yet: Flooded underpass/);

      const recipients = await request(`${api.url}/api/alerts/${sent.body.id}/recipients`, {
        token: agency.users.dispatcher.accessToken,
      });
      const byUser = Object.fromEntries(recipients.body.recipients.map((r: any) => [r.userId, r]));
      expect(byUser[agency.users.responder.id].escalatedAt).not.toBeNull();
      expect(byUser[backup.id].reasons).toEqual(['backup']);

      const audit = await request(`${api.url}/api/audit?action=alert.escalated`, {
        token: agency.users.admin.accessToken,
      });
      expect(JSON.stringify(audit.body)).toContain(sent.body.id);
    } finally {
      for (const socket of [silent, dispatcher, reserve]) socket.close();
    }
  });

  it('does not chase recipients who answered', async () => {
    const responder = await TestSocket.connect(api.url, agency.users.responder.accessToken);
    try {
      const sent = await request(`${api.url}/api/alerts`, {
        method: 'POST',
        token: agency.users.dispatcher.accessToken,
        body: alertBody({
          groupIds: [groupId],
          headline: 'Gas smell',
          escalation: { afterSeconds: 5 },
        }),
      });
      await responder.waitFor('alert.created');
      const answer = await responder.emit('alert.respond', {
        alertId: sent.body.id,
        status: 'acknowledged',
      });
      expect(answer.ok).toBe(true);

      await new Promise((resolve) => setTimeout(resolve, 6500));
      expect(responder.events('alert.escalated')).toEqual([]);
    } finally {
      responder.close();
    }
  });
});
