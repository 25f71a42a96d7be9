import { serve } from '../harness/child';
import { LightClient } from '../harness/light-client';
import { seeded, text } from '../harness/random';
import { percentiles, type Percentiles } from '../harness/stats';

/**
 * The chat clients of one server under test, and the load: `message.send` at a fixed rate
 * (open loop: a slow answer does not slow the sender) from a seeded member of a seeded room,
 * each asking for an acknowledgement. Senders and members are in this one process, so every
 * latency is measured on one clock: acknowledgement = ack arrival - send; sender-to-members
 * = arrival of `message.created` at each other member - send.
 */
let clients: LightClient[] = [];
let rooms: { id: string; members: number[] }[] = [];

async function connect(args: { url: string; tokens: string[] }) {
  const next = { index: clients.length };
  const first = clients.length;
  const target = first + args.tokens.length;
  const connectOne = async () => {
    while (next.index < target) {
      const i = (next.index += 1) - 1;
      clients[i] = await LightClient.connect(args.url, 'socket.io', args.tokens[i - first]);
    }
  };
  await Promise.all(Array.from({ length: 64 }, connectOne));

  return clients.length;
}

interface Pending {
  sentAt: number;
  sender: LightClient;
  large: boolean;
  expected: number;
  received: number;
  acked: boolean;
}

export interface LoadResult {
  sent: number;
  acked: number;
  refused: number;
  /** Messages whose ack or any member's copy never came within the drain time. */
  incomplete: number;
  deliveries: number;
  duplicates: number;
  sendWindowMs: number;
  /** Acknowledged messages per second, from the first send to the last acknowledgement. */
  messagesPerSecond: number;
  deliveriesPerSecond: number;
  ack: Percentiles;
  members: Percentiles;
  membersSmall: Percentiles;
  membersLarge: Percentiles;
  refusal?: string;
}

const CLIENT_ID = /"clientId":"([^"]+)"/;

/**
 * Sends `rate` messages a second for `durationMs` (bounded: it stops at the count or at the
 * deadline), then waits at most `drainMs` for every ack and every member's copy.
 */
async function run(args: {
  rate: number;
  durationMs: number;
  drainMs: number;
  tag: string;
  seed: number;
  deliveries: boolean;
  bodyLength: number;
  largeRoomSize: number;
}): Promise<LoadResult> {
  const random = seeded(args.seed);
  const body = text(random, args.bodyLength);
  const total = Math.round((args.rate * args.durationMs) / 1000);
  const pending = new Map<string, Pending>();
  const byAckId = new Map<number, string>();
  const ackMs: number[] = [];
  const smallMs: number[] = [];
  const largeMs: number[] = [];
  let refused = 0;
  let refusal: string | undefined;
  let duplicates = 0;
  let lastAt = 0;
  let outstanding = 0;
  for (const client of clients) client.events.length = 0;

  LightClient.onAck = (id, answer) => {
    const clientId = byAckId.get(id);
    const entry = clientId === undefined ? undefined : pending.get(clientId);
    if (!entry || entry.acked) return;
    const at = performance.now();
    entry.acked = true;
    outstanding -= 1;
    lastAt = Math.max(lastAt, at);
    if (answer.startsWith('[{"ok":true')) ackMs.push(at - entry.sentAt);
    else {
      refused += 1;
      refusal ??= answer.slice(0, 200);
    }
  };
  LightClient.onEvent = (event, client) => {
    if (!event.startsWith('["message.created"')) return;
    const clientId = CLIENT_ID.exec(event)?.[1];
    const entry = clientId === undefined ? undefined : pending.get(clientId);
    if (!entry || client === entry.sender) return;
    const at = performance.now();
    entry.received += 1;
    if (entry.received > entry.expected) {
      duplicates += 1;

      return;
    }
    outstanding -= 1;
    lastAt = Math.max(lastAt, at);
    (entry.large ? largeMs : smallMs).push(at - entry.sentAt);
  };

  const start = performance.now();
  let sent = 0;
  let ackId = 0;
  while (sent < total && performance.now() - start < args.durationMs + 2000) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * args.rate) / 1000) + 1);
    for (; sent < due; sent += 1) {
      const room = rooms[Math.floor(random() * rooms.length)];
      const sender = clients[room.members[Math.floor(random() * room.members.length)]];
      const clientId = `${args.tag}-${sent}`;
      const expected = args.deliveries ? room.members.length - 1 : 0;
      pending.set(clientId, {
        sentAt: performance.now(),
        sender,
        large: room.members.length >= args.largeRoomSize,
        expected,
        received: 0,
        acked: false,
      });
      outstanding += 1 + expected;
      ackId += 1;
      byAckId.set(ackId, clientId);
      sender.emit('message.send', { conversationId: room.id, clientId, body }, ackId);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const sendWindowMs = performance.now() - start;
  const drainUntil = performance.now() + args.drainMs;
  while (outstanding > 0 && performance.now() < drainUntil) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  LightClient.onAck = () => undefined;
  LightClient.onEvent = () => undefined;

  const entries = [...pending.values()];
  const acked = entries.filter((entry) => entry.acked).length;
  const deliveries = smallMs.length + largeMs.length;
  const elapsedS = (Math.max(lastAt, start) - start) / 1000;

  return {
    sent,
    acked,
    refused,
    incomplete: entries.filter((e) => !e.acked || e.received < e.expected).length,
    deliveries,
    duplicates,
    sendWindowMs,
    messagesPerSecond: elapsedS > 0 ? (acked - refused) / elapsedS : 0,
    deliveriesPerSecond: elapsedS > 0 ? deliveries / elapsedS : 0,
    ack: percentiles(ackMs),
    members: percentiles([...smallMs, ...largeMs]),
    membersSmall: percentiles(smallMs),
    membersLarge: percentiles(largeMs),
    refusal,
  };
}

serve({
  connect,
  rooms: (args: { rooms: { id: string; members: number[] }[] }) => {
    rooms = args.rooms;

    return rooms.length;
  },
  run,
  close: () => {
    for (const client of clients) client.close();
    clients = [];
  },
});
