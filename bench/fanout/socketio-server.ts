import * as http from 'node:http';
import { Server } from 'socket.io';
import { serve } from '../harness/child';

/** Stock Socket.IO: every socket joins one room, and the event is one room emit. */
const server = http.createServer();
const io = new Server(server, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => void socket.join('all'));

serve({
  /** On a free port, or on `port` (the reconnect storm restarts it where it was). */
  listen: ({ port = 0 }: { port?: number } = {}) =>
    new Promise((resolve) => {
      server.listen(port, '127.0.0.1', () => {
        resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
      });
    }),
  send: ({ event, payload, times }: { event: string; payload: unknown; times: number }) => {
    for (let i = 0; i < times; i += 1) io.to('all').emit(event, payload);

    return times;
  },
  /**
   * The same room emit asking every socket for an acknowledgement, as Tocsin does to record
   * deliveries: not a baseline of the issue, it shows what the acknowledgements cost.
   */
  sendWithAcks: ({ event, payload, times }: { event: string; payload: unknown; times: number }) => {
    for (let i = 0; i < times; i += 1) {
      io.to('all')
        .timeout(30_000)
        .emit(event, payload, () => undefined);
    }

    return times;
  },
});
