import type { Socket as TcpSocket } from 'node:net';
import { ReceivedLog } from '@tocsin/contracts';
import { io, type Socket } from 'socket.io-client';
import { now, serve } from '../harness/child';
import { percentiles } from '../harness/stats';
import { RECONNECTION } from './reconnection';

/**
 * Clients of one server under test, built as the PWA builds its socket (socket.io-client,
 * websocket transport, the same jittered backoff, the token and the alerts already handled in
 * `auth`): on every alert event they record the alert id and acknowledge it; on every
 * reconnect they fetch the alert list as the PWA's `connected` handler does (Tocsin only: the
 * bare server has no such route).
 */
interface Client {
  socket: Socket;
  /** Alert id -> how many `alert.*` events for it arrived since `arm`. */
  seen: Map<string, number>;
  /** What it has handled, as the PWA keeps it: its `auth.received`. */
  received: ReceivedLog;
  /** When (now()) the socket last connected. */
  connectedAt: number;
  /** When (now()) its manager last started a reconnection attempt, and how many it made. */
  attemptAt: number;
  attempts: number;
  cut: boolean;
}

const ALERT_EVENTS = ['alert.created', 'alert.updated', 'alert.cancelled', 'alert.escalated'];
let clients: Client[] = [];
let refetchUrl: string | undefined;
let refetches = { ok: 0, failed: 0 };
/** Why sockets closed and why reconnection attempts failed, since `arm`: the diagnosis. */
let trouble: Record<string, number> = {};
const note = (what: string) => (trouble[what] = (trouble[what] ?? 0) + 1);

function open(url: string, token: string | undefined): Promise<Client> {
  const received = new ReceivedLog();
  const socket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    // Read at every connect, as the PWA's: a reconnect carries what arrived until the cut.
    auth: (send) => send(token ? { token, received: received.toAuth() } : {}),
    forceNew: true,
    ...RECONNECTION,
  });
  const client: Client = {
    socket,
    seen: new Map(),
    received,
    connectedAt: 0,
    attemptAt: 0,
    attempts: 0,
    cut: false,
  };
  socket.io.on('reconnect_attempt', () => {
    client.attemptAt = now();
    client.attempts += 1;
  });
  for (const name of ALERT_EVENTS) {
    socket.on(name, (alert: { id?: string; seq?: number }, ack?: unknown) => {
      const id = String(alert?.id);
      client.seen.set(id, (client.seen.get(id) ?? 0) + 1);
      client.received.note(id, Number(alert?.seq));
      if (typeof ack === 'function') ack({ ok: true });
    });
  }
  socket.on('disconnect', (reason) => note(`disconnect: ${reason}`));
  socket.on('connect_error', (error) => note(`connect_error: ${error.message}`));
  socket.on('connect', () => {
    const first = client.connectedAt === 0;
    client.connectedAt = now();
    if (!first && refetchUrl) void refetch(token);
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timed out')), 30_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(client);
    });
  });
}

/** The PWA's `alerts.refresh()` after a reconnect: its alert list, over HTTP. */
async function refetch(token: string | undefined): Promise<void> {
  try {
    const response = await fetch(`${refetchUrl}/api/alerts?limit=100`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await response.arrayBuffer();
    refetches[response.ok ? 'ok' : 'failed'] += 1;
  } catch {
    refetches.failed += 1;
  }
}

async function connect(args: { url: string; n: number; tokens?: string[]; refetch: boolean }) {
  refetchUrl = args.refetch ? args.url : undefined;
  const next = { index: 0 };
  const connectOne = async () => {
    while (next.index < args.n) {
      const i = (next.index += 1) - 1;
      clients[i] = await open(args.url, args.tokens?.[i]);
    }
  };
  await Promise.all(Array.from({ length: 64 }, connectOne));

  return clients.length;
}

/** Forgets what arrived so far: a new storm starts. */
function arm() {
  refetches = { ok: 0, failed: 0 };
  trouble = {};
  for (const client of clients) {
    client.seen.clear();
    client.cut = false;
    client.attempts = 0;
  }
}

/**
 * Destroys the TCP connection under every other socket, from the client's side (as a phone
 * losing its network would), and returns when it did (now()).
 */
function cut() {
  const at = now();
  clients.forEach((client, i) => {
    if (i % 2 !== 0) return;
    client.cut = true;
    const transport = client.socket.io.engine?.transport as unknown as {
      ws?: { _socket?: TcpSocket };
    };
    transport.ws?._socket?.destroy();
  });

  return at;
}

/** Marks every client as cut off (the server is about to be killed). */
function cutAll() {
  for (const client of clients) client.cut = true;
}

const GRACE_MS = 3000;

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits (bounded) until every cut client has reconnected after `t0` and every client has each
 * expected alert, then counts: reconnection times from `t0`, alerts missing, and alert events
 * repeated on the wire (a reconnect's catch-up crossing the live copy). Delivery is at least
 * once: clients, as the PWA does, act on each (alert, seq) once, so a repeat is never shown.
 */
async function wait(args: { t0: number; alertIds: string[]; timeoutMs: number }) {
  const affected = clients.filter((client) => client.cut);
  const reconnected = () => affected.filter((client) => client.connectedAt > args.t0).length;
  const complete = (client: Client) => args.alertIds.every((id) => client.seen.has(id));
  await until(() => reconnected() === affected.length, args.timeoutMs);
  // Once everyone is back, what has not arrived within a few seconds is missed (the bare
  // server has no catch-up); then late duplicates (a catch-up resending what a live emit
  // delivered) are given a second to show.
  await until(() => clients.every(complete), GRACE_MS);
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const times = affected
    .filter((client) => client.connectedAt > args.t0)
    .map((client) => client.connectedAt - args.t0)
    .sort((a, b) => a - b);
  // When 99% of the cut clients were back (Infinity if they never were).
  const t99Ms = times[Math.ceil(affected.length * 0.99) - 1] ?? Infinity;
  // The server's share: from the attempt that succeeded to its `connect`; the rest is backoff.
  const back = affected.filter((client) => client.connectedAt > args.t0);
  const handshake = percentiles(back.map((client) => client.connectedAt - client.attemptAt));
  const attempts = percentiles(back.map((client) => client.attempts));
  let missing = 0;
  let duplicates = 0;
  let clientsWithDuplicates = 0;
  // Among them, clients that reconnected: a catch-up resending what a live emit delivered.
  let cutWithDuplicates = 0;
  for (const client of clients) {
    const counts = args.alertIds.map((id) => client.seen.get(id) ?? 0);
    missing += counts.filter((count) => count === 0).length;
    const extra = counts.reduce((sum, count) => sum + Math.max(0, count - 1), 0);
    duplicates += extra;
    if (extra > 0) clientsWithDuplicates += 1;
    if (extra > 0 && client.cut) cutWithDuplicates += 1;
  }

  return {
    clients: clients.length,
    affected: affected.length,
    reconnected: times.length,
    t99Ms,
    reconnect: percentiles(times),
    handshake,
    attempts,
    missing,
    duplicates,
    clientsWithDuplicates,
    cutWithDuplicates,
    refetches,
    trouble,
  };
}

function close() {
  for (const client of clients) client.socket.close();
  clients = [];
}

serve({ connect, arm, cut, cutAll, wait, close, now: () => now() });
