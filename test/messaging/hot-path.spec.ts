import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/identity-factory';
import { pause, TestSocket } from '../support/socket-client';
import { sql } from '../support/sql';
import { call, send, startChatWorld, type ChatWorld } from './chat-world';

/**
 * The chat hot path's guarantees: a member added after the members were cached gets the next
 * message live; push only to members without a live socket; a send racing a removal (the
 * removal holds the conversation's lock, as MembershipService does, while the removed member's
 * send waits for it) is refused once the removal commits; grouped sends and racing resends
 * lose no seq.
 */
describe('chat hot path: sends, deliveries and membership changes', () => {
  let w: ChatWorld;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    w = await startChatWorld();
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await w?.api.close();
  });

  it('delivers live to a member added after the conversation was last delivered to', async () => {
    const [alice, bob] = w.members;
    const bobSocket = await TestSocket.connect(w.api.url, bob.accessToken);
    sockets.push(bobSocket);
    // Delivered once, so this process knows the conversation's members.
    await send(w.api, alice, w.conversationId, 'before dave');
    await bobSocket.waitFor('message.created', 1);

    const dave = await createUser(w.api.url, w.operatorToken, w.a.id, 'responder');
    const daveSocket = await TestSocket.connect(w.api.url, dave.accessToken);
    sockets.push(daveSocket);
    const added = await call(w.api, w.a.users.admin, 'POST', `/api/groups/${w.groupId}/members`, {
      userId: dave.id,
    });
    expect(added.status).toBe(200);
    await daveSocket.waitFor('conversation.joined');

    const sent = await send(w.api, alice, w.conversationId, 'welcome dave');
    const [got] = await daveSocket.waitFor('message.created', 1);
    expect(got).toMatchObject({ id: sent.body.id, body: 'welcome dave' });
  });

  it('pushes a new message to members without a live socket only; none when all are online', async () => {
    const [alice, bob, carol] = w.members;
    for (const user of [bob, carol]) {
      await sql(
        w.api,
        `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth)
         VALUES ($1, $2, 'p256dh', 'auth')`,
        [user.id, `https://push.invalid/${user.id}`],
      );
    }
    const bobSocket = await TestSocket.connect(w.api.url, bob.accessToken);
    sockets.push(bobSocket);

    const first = await send(w.api, alice, w.conversationId, 'carol is away');
    await delivered(first.body.id);
    expect(await pushedTo(first.body.id)).toEqual([carol.id]);

    const carolSocket = await TestSocket.connect(w.api.url, carol.accessToken);
    sockets.push(carolSocket);
    const second = await send(w.api, alice, w.conversationId, 'everyone is here');
    await delivered(second.body.id);
    expect(await pushedTo(second.body.id)).toEqual([]);
    const notifications = await sql(
      w.api,
      'SELECT 1 FROM push_notifications WHERE subject_id = $1',
      [second.body.id],
    );
    expect(notifications).toHaveLength(0);
    carolSocket.close();
  });

  // Holds a transaction open while a send waits behind its lock: two sessions, which the
  // embedded database (one session, one pooled connection) cannot give. The next test starts
  // from the removal made here.
  const onServer = it.skipIf(!process.env.DATABASE_URL);

  onServer(
    'refuses the send of a member removed while it waited, and leaves no gap in seq',
    async () => {
      const [alice, , carol] = w.members;
      const before = await send(w.api, alice, w.conversationId, 'before');
      expect(before.status).toBe(201);

      const db = w.api.app.get(DataSource);
      let racing: ReturnType<typeof send> | undefined;
      // The removal's transaction, held open until the send waits behind its lock.
      await db.transaction(async (manager) => {
        const [conversation] = (await manager.query(
          'SELECT last_seq FROM conversations WHERE id = $1 FOR UPDATE',
          [w.conversationId],
        )) as { last_seq: string }[];
        await manager.query(
          `UPDATE conversation_members SET left_seq = $3, left_at = now()
          WHERE conversation_id = $1 AND user_id = $2`,
          [w.conversationId, carol.id, conversation.last_seq],
        );
        racing = send(w.api, carol, w.conversationId, 'sent while being removed');
        await waitForLockWaiter((sql) => db.query(sql));
      });

      expect((await racing!).status).toBe(403);
      const after = await send(w.api, alice, w.conversationId, 'after');
      expect(after.body.seq).toBe(before.body.seq + 1);
      const page = await call(
        w.api,
        alice,
        'GET',
        `/api/conversations/${w.conversationId}/messages`,
      );
      expect(page.body.messages.map((m: { senderId: string }) => m.senderId)).not.toContain(
        carol.id,
      );
    },
  );

  onServer(
    'sends messages that arrive together in order; a refused one among them costs no seq',
    async () => {
      const [alice, bob, carol] = w.members;
      // Carol was removed above: her send, in the same burst, must not decide the others'.
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          send(w.api, i === 7 ? carol : i % 2 ? alice : bob, w.conversationId, `burst ${i}`),
        ),
      );

      expect(answers[7].status).toBe(403);
      const sent = answers.filter((_, i) => i !== 7);
      expect(sent.every((answer) => answer.status === 201)).toBe(true);
      const seqs = sent.map((answer) => answer.body.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 19 }, (_, i) => seqs[0] + i));
    },
  );

  it('answers a resend racing its first send with the first message, without a gap', async () => {
    const alice = w.members[0];
    const path = `/api/conversations/${w.conversationId}/messages`;
    const clientId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call(w.api, alice, 'POST', path, { clientId, body: 'x' })),
    );
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);

    const next = await send(w.api, alice, w.conversationId, 'next');
    expect(next.body.seq).toBe(answers[0].body.seq + 1);
  });

  /** Until the message's outbox row is marked dispatched: its delivery, push included, is over. */
  async function delivered(messageId: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const rows = await sql(
        w.api,
        `SELECT 1 FROM outbox WHERE payload->>'messageId' = $1 AND dispatched_at IS NOT NULL`,
        [messageId],
      );
      if (rows.length > 0) return;
      await pause(25);
    }
    throw new Error('the message was never delivered');
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

/** Until another backend of this database waits for a lock (bounded). */
async function waitForLockWaiter(query: (sql: string) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = (await query(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    )) as { waiting: number }[];
    if (rows[0].waiting > 0) return;
    await pause(25);
  }
  const all = await query(
    `SELECT pid, state, wait_event_type, wait_event, left(query, 80) AS q FROM pg_stat_activity
      WHERE datname = current_database()`,
  );
  throw new Error(`the send never waited for the conversation lock ${JSON.stringify(all)}`);
}
