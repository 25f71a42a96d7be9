import type {
  AlertResponseEvent,
  AlertView,
  ClientToServerEvents,
  MessageView,
  ServerToClientEvents,
} from '@tocsin/contracts';
import { io, type Socket } from 'socket.io-client';
import type { ApiClient } from '../api/http';

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
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
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
  // Created, edited or deleted: each carries the message in its current state.
  socket.on('message.created', (message) => handlers.message(message));
  socket.on('message.updated', (message) => handlers.message(message));
  socket.on('message.deleted', (message) => handlers.message(message));
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
