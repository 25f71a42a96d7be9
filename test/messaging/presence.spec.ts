import { RealtimeGateway, rooms } from '@tocsin/realtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pause, TestSocket } from '../support/socket-client';
import type { TestUser } from '../support/identity-factory';
import { startChatWorld, type ChatWorld } from './chat-world';

/** Presence and conversation rooms are applied in batches (all that arrive during a query). */
describe('presence under many connects and disconnects', () => {
  let w: ChatWorld;
  const sockets: TestSocket[] = [];
  const connect = async (user: TestUser) => {
    const socket = await TestSocket.connect(w.api.url, user.accessToken);
    sockets.push(socket);

    return socket;
  };
  const conversationRoom = () => {
    const server = w.api.app.get(RealtimeGateway).server;

    return server.of('/').adapter.rooms.get(rooms.conversation(w.conversationId)) ?? new Set();
  };
  /** Waits until these sockets are in the conversation's room, as the server holds it. */
  const joined = async (...clients: TestSocket[]) => {
    for (let i = 0; i < 250; i++) {
      const room = conversationRoom();
      if (clients.every((client) => room.has(client.socket.id!))) return;
      await pause(20);
    }
    throw new Error('sockets never joined the conversation room');
  };
  const presenceOf = (watcher: TestSocket, userId: string) =>
    watcher.events('presence').filter((event) => event.userId === userId);
  const onlineNow = async (watcher: TestSocket) =>
    (await watcher.emit('presence.query', { conversationId: w.conversationId })).data.online;

  beforeAll(async () => {
    w = await startChatWorld();
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await w?.api.close();
  });

  it('puts every socket of a crowd connecting at once in its rooms, all seen online', async () => {
    const crowd = await Promise.all(
      w.members.flatMap((member) => Array.from({ length: 4 }, () => connect(member))),
    );
    await joined(...crowd);

    const [alice] = crowd;
    await alice.emit('typing', { conversationId: w.conversationId, typing: true });
    for (const socket of crowd.slice(4)) await socket.waitFor('typing');
    expect((await onlineNow(alice)).sort()).toEqual(w.members.map((m) => m.id).sort());

    for (const socket of crowd) socket.close();
    await pause(100);
  });

  it('announces a socket closed right after connecting offline last, and forgets it', async () => {
    const [alice, bob] = w.members;
    const watcher = await connect(alice);
    await joined(watcher);

    for (let i = 0; i < 5; i++) {
      const fleeting = await connect(bob);
      fleeting.close();
    }

    await watcher.waitFor('presence');
    for (let i = 0; i < 100 && presenceOf(watcher, bob.id).at(-1)?.online !== false; i++) {
      await pause(20);
    }
    expect(presenceOf(watcher, bob.id).at(-1)).toEqual({ userId: bob.id, online: false });
    expect(await onlineNow(watcher)).toEqual([alice.id]);
    // A socket gone before its batch joined nothing: the room holds live sockets only.
    const live = w.api.app.get(RealtimeGateway).server.of('/').sockets;
    expect([...conversationRoom()].every((sid) => live.has(sid))).toBe(true);
    watcher.close();
  });

  it('keeps a user online while one of their sockets is left, offline after the last', async () => {
    const [alice, bob] = w.members;
    const watcher = await connect(alice);
    const phone = await connect(bob);
    const laptop = await connect(bob);
    await joined(watcher, phone, laptop);
    const heardBefore = presenceOf(watcher, bob.id).length;

    phone.close();
    await pause(150);
    expect(presenceOf(watcher, bob.id).slice(heardBefore)).not.toContainEqual({
      userId: bob.id,
      online: false,
    });
    expect((await onlineNow(watcher)).sort()).toEqual([alice.id, bob.id].sort());

    laptop.close();
    for (let i = 0; i < 100 && presenceOf(watcher, bob.id).at(-1)?.online !== false; i++) {
      await pause(20);
    }
    expect(presenceOf(watcher, bob.id).at(-1)).toEqual({ userId: bob.id, online: false });
    expect(await onlineNow(watcher)).toEqual([alice.id]);
    watcher.close();
  });
});
