import type {
  AlertResponseEvent,
  AlertView,
  ClientToServerEvents,
  ServerToClientEvents,
} from '@tocsin/contracts';
import { io, type Socket } from 'socket.io-client';
import type { MessageView } from '../api/chat-api';
import type { ApiClient } from '../api/http';

// TODO: `message.created` joins libs/contracts' ServerToClientEvents with the messaging library.
type ServerEvents = ServerToClientEvents & {
  'message.created': (message: MessageView, ack?: (received: { ok: true }) => void) => void;
};

export interface RealtimeHandlers {
  alert(kind: 'created' | 'updated' | 'cancelled' | 'escalated', alert: AlertView): void;
  response(event: AlertResponseEvent): void;
  message(message: MessageView): void;
  /** Connected (again): time to fetch what may have been missed and flush the outbox. */
  connected(): void;
}

/**
 * The Socket.IO connection: the access token goes in `auth.token` (read at every connect, so a
 * reconnect carries the refreshed one), every alert event is acknowledged once handled, and
 * `auth.expiring` is answered with a refreshed token.
 */
export function connectRealtime(api: ApiClient, handlers: RealtimeHandlers): () => void {
  const socket: Socket<ServerEvents, ClientToServerEvents> = io({
    path: '/socket.io',
    transports: ['websocket'],
    auth: (send) => send({ token: api.token ?? '' }),
  });

  for (const kind of ['created', 'updated', 'cancelled', 'escalated'] as const) {
    socket.on(`alert.${kind}`, (alert: AlertView, ack: (r: { ok: true }) => void) => {
      handlers.alert(kind, alert);
      if (typeof ack === 'function') ack({ ok: true });
    });
  }
  socket.on('alert.response', (event) => handlers.response(event));
  socket.on('message.created', (message, ack) => {
    handlers.message(message);
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('auth.expiring', () => {
    api.refresh().then(
      (token) => {
        if (token) socket.emit('auth.refresh', { token }, () => undefined);
      },
      () => undefined, // Offline: the socket drops and reconnects with a fresh token later.
    );
  });
  socket.on('connect', () => handlers.connected());
  socket.on('connect_error', () => {
    // A refused handshake is most often an expired token: refresh, then let it retry.
    api.refresh().then(
      (token) => {
        if (token && !socket.active) socket.connect();
      },
      () => undefined, // Offline: Socket.IO keeps retrying by itself.
    );
  });

  return () => {
    socket.removeAllListeners();
    socket.disconnect();
  };
}
