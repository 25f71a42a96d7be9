import { TestSocket } from '../../test/support/socket-client';
import { serve } from '../harness/child';
import { percentiles, type Percentiles } from '../harness/stats';

/**
 * The live socket path, seen from a client in a process of its own (on the push services'
 * core): one Socket.IO client asking `presence.query` every INTERVAL_MS and timing each
 * acknowledgement. `window` starts a new set of samples; `read` returns its percentiles, so the
 * benchmark can compare a quiet window with one during a push storm on the same API process.
 */
const INTERVAL_MS = 5;
let socket: TestSocket | undefined;
let timer: NodeJS.Timeout | undefined;
let samples: number[] = [];
let problems = 0;

async function start(args: { url: string; token: string; conversationId: string }) {
  socket = await TestSocket.connect(args.url, args.token);
  let inFlight = false;
  // One request at a time: a slow answer delays the next instead of piling them up.
  timer = setInterval(() => {
    if (inFlight) return;
    inFlight = true;
    const started = performance.now();
    socket!.socket
      .timeout(10_000)
      .emitWithAck('presence.query', { conversationId: args.conversationId })
      .then((answer: { error?: unknown }) => {
        if (answer?.error) problems += 1;
        samples.push(performance.now() - started);
      })
      .catch(() => (problems += 1))
      .finally(() => (inFlight = false));
  }, INTERVAL_MS);
}

function window(): void {
  samples = [];
  problems = 0;
}

function read(): Percentiles & { problems: number } {
  return { ...percentiles(samples), problems };
}

serve({
  start,
  window: async () => window(),
  read: async () => read(),
  stop: async () => {
    if (timer) clearInterval(timer);
    socket?.socket.close();
  },
});
