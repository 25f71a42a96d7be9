import { OutboxService } from '@tocsin/outbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pause, TestSocket } from '../support/socket-client';
import { sql } from '../support/sql';
import { send, startChatWorld, type ChatWorld } from './chat-world';

/**
 * A send writes its outbox row already leased to the process that delivers it (no claim
 * statement), and who is online is counted from the connection hooks. What users rely on:
 * a message whose process died before delivering it still arrives once its lease runs out
 * (and not while another process may still be delivering it); a member who went offline gets
 * a push for the next message.
 */
describe('chat delivery without a claim, and who is online', () => {
  let w: ChatWorld;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    w = await startChatWorld();
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await w?.api.close();
  });

  it('delivers a sent message with one attempt and marks it sent', async () => {
    const [alice, bob] = w.members;
    const bobSocket = await TestSocket.connect(w.api.url, bob.accessToken);
    sockets.push(bobSocket);

    const sent = await send(w.api, alice, w.conversationId, 'no claim needed');
    const [got] = await bobSocket.waitFor('message.created', 1);
    expect(got).toMatchObject({ id: sent.body.id });

    const row = await until(async () => {
      const [entry] = await outboxRow(sent.body.id);
      return entry?.dispatched_at ? entry : undefined;
    });
    expect(row.attempts).toBe(1);
    expect(row.lease_until).toBeNull();
  });

  it('re-delivers the row of a process that died only after its lease runs out', async () => {
    const [alice, bob] = w.members;
    const bobSocket = await TestSocket.connect(w.api.url, bob.accessToken);
    sockets.push(bobSocket);
    const sent = await send(w.api, alice, w.conversationId, 'the writer died');
    await bobSocket.waitFor('message.created', 1);
    await dispatched(sent.body.id);
    // As if the process that wrote the row had died before delivering it: still leased to it.
    await sql(
      w.api,
      `UPDATE outbox SET dispatched_at = NULL, lease_until = now() + interval '15 seconds'
        WHERE payload->>'messageId' = $1`,
      [sent.body.id],
    );
    const outbox = w.api.app.get(OutboxService);

    await outbox.sweep();
    await pause(100);
    expect(bobSocket.events('message.created')).toHaveLength(1);
    expect((await outboxRow(sent.body.id))[0].dispatched_at).toBeNull();

    await sql(
      w.api,
      `UPDATE outbox SET lease_until = now() - interval '1 second'
        WHERE payload->>'messageId' = $1`,
      [sent.body.id],
    );
    await outbox.sweep();
    const again = await bobSocket.waitFor('message.created', 2);
    expect(again[1]).toMatchObject({ id: sent.body.id });
    expect((await outboxRow(sent.body.id))[0].dispatched_at).not.toBeNull();
  });

  it('pushes to a member whose last socket closed, and not while one is open', async () => {
    const [alice, , carol] = w.members;
    await sql(
      w.api,
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth)
       VALUES ($1, $2, 'p256dh', 'auth')`,
      [carol.id, `https://push.invalid/${carol.id}`],
    );
    const aliceSocket = await TestSocket.connect(w.api.url, alice.accessToken);
    const carolPhone = await TestSocket.connect(w.api.url, carol.accessToken);
    const carolLaptop = await TestSocket.connect(w.api.url, carol.accessToken);
    sockets.push(aliceSocket, carolPhone, carolLaptop);
    await until(async () => (await online(aliceSocket)).includes(carol.id) || undefined);

    carolPhone.close();
    const whileLaptopOpen = await send(w.api, alice, w.conversationId, 'laptop still open');
    await carolLaptop.waitFor('message.created', 1);
    await dispatched(whileLaptopOpen.body.id);
    expect(await pushedTo(whileLaptopOpen.body.id)).toEqual([]);

    carolLaptop.close();
    await until(async () => !(await online(aliceSocket)).includes(carol.id) || undefined);
    const afterClose = await send(w.api, alice, w.conversationId, 'carol has gone');
    await dispatched(afterClose.body.id);
    expect(await pushedTo(afterClose.body.id)).toEqual([carol.id]);
  });

  async function online(socket: TestSocket): Promise<string[]> {
    const answer = await socket.emit('presence.query', { conversationId: w.conversationId });

    return answer.data.online as string[];
  }

  function outboxRow(messageId: string) {
    return sql<{ attempts: number; lease_until: Date | null; dispatched_at: Date | null }>(
      w.api,
      `SELECT attempts, lease_until, dispatched_at FROM outbox WHERE payload->>'messageId' = $1`,
      [messageId],
    );
  }

  async function dispatched(messageId: string): Promise<void> {
    await until(async () => (await outboxRow(messageId))[0]?.dispatched_at ?? undefined);
  }

  async function pushedTo(messageId: string): Promise<string[]> {
    const rows = await sql<{ user_id: string }>(
      w.api,
      'SELECT user_id FROM push_deliveries WHERE subject_id = $1 ORDER BY user_id',
      [messageId],
    );

    return rows.map((row) => row.user_id);
  }
});

/** Polls until `check` returns a value (bounded: 5 s). */
async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await pause(25);
  }
  throw new Error('condition never met');
}
