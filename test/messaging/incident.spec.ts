import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBody } from '../support/alert-factory';
import { call, send, startChatWorld, type ChatWorld } from './chat-world';

/**
 * An alert's incident conversation: its recipients and the sending agency's dispatchers and
 * administrators may open it (one per alert); an observer of that agency sees the alert but is
 * told it may not; for another agency the alert does not exist.
 */
describe('incident conversations', () => {
  let w: ChatWorld;
  let alertId: string;

  beforeAll(async () => {
    w = await startChatWorld();
    const alert = await call(w.api, w.a.users.dispatcher, 'POST', '/api/alerts', {
      ...alertBody({ headline: 'Warehouse fire' }),
      groupIds: [w.groupId],
    });
    expect(alert.status).toBe(201);
    alertId = alert.body.id;
  });

  afterAll(async () => {
    await w?.api.close();
  });

  const open = (who: ChatWorld['members'][number], id = alertId) =>
    call(w.api, who, 'POST', '/api/conversations', { kind: 'incident', alertId: id });

  it('opens for a recipient, named after the alert; the dispatcher joins it', async () => {
    const [responder] = w.members;
    const first = await open(responder);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'incident', title: 'Warehouse fire' });

    const again = await open(w.a.users.dispatcher);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);

    const sent = await send(
      w.api,
      w.a.users.dispatcher,
      first.body.id,
      'Staging at the north gate',
    );
    expect(sent.status).toBe(201);
    const read = await call(
      w.api,
      w.members[1],
      'GET',
      `/api/conversations/${first.body.id}/messages`,
    );
    expect(read.status).toBe(200);
    expect(read.body.messages.map((m: { body: string }) => m.body)).toContain(
      'Staging at the north gate',
    );

    // Its members follow from the alert: nobody adds or removes them by hand.
    const removal = await call(
      w.api,
      w.a.users.dispatcher,
      'DELETE',
      `/api/conversations/${first.body.id}/members/${w.members[1].id}`,
    );
    expect(removal.status).toBe(403);
    expect(removal.body.message).toMatch(/incident conversation follow from it/);
  });

  it('tells an observer why (403), and hides the alert from others (404)', async () => {
    const observer = await open(w.a.users.observer);
    expect(observer.status).toBe(403);
    expect(observer.body.code).toBe('conversation.incident_forbidden');

    for (const stranger of [w.b.users.admin, w.b.users.responder]) {
      const refused = await open(stranger);
      expect(refused.status).toBe(404);
      expect(refused.body.code).toBe('alert.not_found');
    }
    const unknown = await open(w.a.users.dispatcher, randomUUID());
    expect(unknown.status).toBe(404);
  });
});
