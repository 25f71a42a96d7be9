import { now, serve } from '../harness/child';
import { percentiles } from '../harness/stats';
import { LightClient, type ClientMode } from '../harness/light-client';

/**
 * Holds the clients of one server under test (a process can hold only so many sockets) and
 * reports when each has what it expects.
 */
let clients: LightClient[] = [];
const ALERT_ID = /"id":"([0-9a-f-]{36})"/;

async function connect(args: { url: string; mode: ClientMode; n: number; tokens?: string[] }) {
  const start = clients.length;
  const next = { index: start };
  const target = start + args.n;
  const connectOne = async () => {
    while (next.index < target) {
      const i = (next.index += 1) - 1;
      // `tokens` are this call's: the first one is for the first client it adds.
      clients[i] = await LightClient.connect(args.url, args.mode, args.tokens?.[i - start]);
    }
  };
  await Promise.all(Array.from({ length: 64 }, connectOne));

  return clients.length;
}

let counted = 0;

function arm({ match }: { match: string }) {
  for (const client of clients) client.events.length = 0;
  counted = 0;
  LightClient.onEvent = (text) => {
    if (text.startsWith(match)) counted += 1;
  };
}

/** Waits (bounded) until every client has `perClient` events whose text starts with `match`. */
async function wait(args: {
  perClient: number;
  match: string;
  distinct: boolean;
  timeoutMs: number;
  /** When the sender started, in {@link now} time: latencies are counted from it. */
  t0: number;
}) {
  const deadline = Date.now() + args.timeoutMs;
  const matching = (client: LightClient) =>
    client.events.filter((e) => e.text.startsWith(args.match));
  while (Date.now() < deadline && counted < clients.length * args.perClient) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const complete = clients.filter((c) => matching(c).length >= args.perClient).length;
  let first = Infinity;
  let last = 0;
  let duplicates = 0;
  const latencies: number[] = [];
  for (const client of clients) {
    const events = matching(client);
    for (const event of events) {
      first = Math.min(first, event.at);
      last = Math.max(last, event.at);
      latencies.push(event.at + performance.timeOrigin - args.t0);
    }
    const ids = new Set(events.map((event) => ALERT_ID.exec(event.text)?.[1]));
    if (events.length > args.perClient || (args.distinct && ids.size !== events.length)) {
      duplicates += 1;
    }
  }
  const toAbsolute = performance.timeOrigin;

  return {
    clients: clients.length,
    complete,
    missing: clients.length - complete,
    duplicates,
    firstMs: first + toAbsolute - args.t0,
    lastMs: last + toAbsolute - args.t0,
    latency: percentiles(latencies),
    sample: clients[0]?.events.find((e) => e.text.startsWith(args.match))?.text,
  };
}

function close() {
  for (const client of clients) client.close();
  clients = [];
}

serve({ connect, arm, wait, close, now: () => now() });
