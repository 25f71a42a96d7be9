import * as http from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { serve } from '../harness/child';

/**
 * The floor: raw WebSocket connections, and one message framed once and written as the same
 * bytes to every socket. Nothing a real server must do (encoding, routing, acknowledging)
 * happens here.
 */
const server = http.createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
const rawSocket = (ws: WebSocket) => (ws as unknown as { _socket: Socket })._socket;

/** An unmasked, final text frame (RFC 6455 section 5.2), as a server sends it. */
function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const header = Buffer.alloc(length < 126 ? 2 : length < 65536 ? 4 : 10);
  header[0] = 0x81;
  if (length < 126) header[1] = length;
  else if (length < 65536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }

  return Buffer.concat([header, payload]);
}

serve({
  listen: () =>
    new Promise((resolve) => {
      server.listen(0, '127.0.0.1', () => {
        resolve({ url: `ws://127.0.0.1:${(server.address() as { port: number }).port}` });
      });
    }),
  send: ({ text, times }: { text: string; times: number }) => {
    const frame = textFrame(Buffer.from(text));
    for (let i = 0; i < times; i += 1) {
      for (const ws of wss.clients) rawSocket(ws).write(frame);
    }

    return wss.clients.size * times;
  },
});
