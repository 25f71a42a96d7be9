import {
  ReceivedLog,
  type AlertResponseEvent,
  type AlertView,
  type ClientToServerEvents,
  type MessageView,
  type ServerToClientEvents,
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
 * Reconnection backoff, jittered so that thousands of phones cut off together (a server
 * restart, a cell tower) do not all come back in the same instant: the first retry 0.5–1.5 s
 * after the cut, then doubling, at most 5 s, each ±50%. These are Socket.IO's defaults, set
 * here so that they are a decision; bench/reconnect/reconnection.ts uses the same values.
 */
export const RECONNECTION = {
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
};

/**
 * The access token to connect with. After a reload the page has none until its first refresh,
 * and after a sleep it may hold an expired one: refreshing first spares the server a refused
 * handshake and the user a reconnect delay. An empty token (the session is over, or the server
 * is unreachable) is refused, and `connect_error` below takes it from there.
 */
async function tokenForHandshake(api: ApiClient): Promise<string> {
  if (api.token && api.tokenExpiresAt > Date.now()) return api.token;

  const refreshed = await api.refresh().catch(() => null);

  return refreshed ?? '';
}

/**
 * The Socket.IO connection: the access token goes in `auth.token` and the alerts handled so
 * far in `auth.received` (both read at every connect, so a reconnect carries the refreshed
 * token and is not sent again what it has), every alert event is acknowledged once handled,
 * and `auth.expiring` is answered with a refreshed token.
 */
export function connectRealtime(api: ApiClient, handlers: RealtimeHandlers): () => void {
  const received = new ReceivedLog();
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    path: '/socket.io',
    transports: ['websocket'],
    auth: (send) => {
      void tokenForHandshake(api).then((token) => send({ token, received: received.toAuth() }));
    },
    ...RECONNECTION,
  });

  for (const kind of ['created', 'updated', 'cancelled', 'escalated'] as const) {
    socket.on(`alert.${kind}`, (alert: AlertView, ack: (r: { ok: true }) => void) => {
      handlers.alert(kind, alert);
      received.note(alert.id, alert.seq);
      if (typeof ack === 'function') ack({ ok: true });
    });
  }
  socket.on('alert.response', (event) => handlers.response(event));
  // Created, edited or deleted: each carries the message in its current state.
  socket.on('message.created', (message) => handlers.message(message));
  socket.on('message.updated', (message) => handlers.message(message));
  socket.on('message.deleted', (message) => handlers.message(message));
  // Every new access token goes to the server, so the socket outlives each token.
  // The same token is never sent twice: with tokens living under a minute the server warns
  // again at once, and answering with the same token would loop.
  let sentToken = api.token;
  const handOver = (token: string) => {
    if (!socket.connected || token === sentToken) return;
    sentToken = token;
    socket.emit('auth.refresh', { token }, () => undefined);
  };
  const stopListening = api.onToken(handOver);
  socket.on('connect', () => {
    sentToken = api.token;
  });
  socket.on('auth.expiring', ({ expiresAt }) => {
    // The server warns a minute ahead. A newer token in memory is simply handed over; an
    // ageing one is refreshed (the listener above sends it). A fresh one that the server
    // already has means the token lives under a minute: the refresh timer handles it.
    if (api.token && api.token !== sentToken && api.tokenExpiresAt > expiresAt) {
      handOver(api.token);
    } else if (api.tokenAgeing) {
      api.refresh().catch(() => undefined); // Offline: the socket reconnects later.
    }
  });
  socket.on('connect', () => handlers.connected());
  socket.on('disconnect', (reason) => {
    // The server closed it (a token expired while the phone slept): Socket.IO will not
    // retry by itself, so refresh and connect again; the `connected` handler catches up.
    if (reason !== 'io server disconnect') return;
    api.refresh().then(
      (token) => {
        if (token) socket.connect();
      },
      () => setTimeout(() => socket.connect(), 5000),
    );
  });
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
    stopListening();
    socket.removeAllListeners();
    socket.disconnect();
  };
}
