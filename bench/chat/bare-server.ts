import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { Server } from 'socket.io';
import { serve } from '../harness/child';

/**
 * Stock Socket.IO with nothing behind it, the two baselines of the chat benchmark:
 * - `ack`: `message.send` is answered through its acknowledgement with a message built in
 *   memory (the same shape and about the same bytes as Tocsin's), and nothing else;
 * - `broadcast`: the same, after one room emit of `message.created` to the conversation's
 *   sockets (sender included, as Tocsin does), with no persistence, no membership check.
 * A client names its room in `auth.token` (no authentication here).
 */
type Mode = 'ack' | 'broadcast';

interface SendPayload {
  conversationId: string;
  clientId: string;
  body: string;
}

const server = http.createServer();
const io = new Server(server, { transports: ['websocket'], serveClient: false });
const counters = new Map<string, number>();
const agencyId = randomUUID();
let mode: Mode = 'broadcast';

io.on('connection', (socket) => {
  const room = String((socket.handshake.auth as { token?: unknown }).token ?? '');
  const senderId = randomUUID();
  void socket.join(room);
  socket.on('message.send', (payload: SendPayload, ack: (answer: unknown) => void) => {
    if (typeof ack !== 'function' || payload?.conversationId !== room) return;
    const seq = (counters.get(room) ?? 0) + 1;
    counters.set(room, seq);
    const message = {
      id: randomUUID(),
      conversationId: room,
      seq,
      rev: seq,
      clientId: payload.clientId,
      senderId,
      senderName: 'Responder 000000',
      senderAgencyId: agencyId,
      kind: 'text',
      body: payload.body,
      location: null,
      version: 1,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
    };
    if (mode === 'broadcast') io.to(room).emit('message.created', message);
    ack({ ok: true, data: message });
  });
});

serve({
  listen: () =>
    new Promise((resolve) => {
      server.listen(0, '127.0.0.1', () => {
        resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
      });
    }),
  mode: (next: { mode: Mode }) => {
    mode = next.mode;

    return mode;
  },
});
