import type { AlertResponseEvent, AlertView } from './alerts';

export interface SocketAck<T> {
  ok: boolean;
  data?: T;
  error?: { statusCode: number; error: string; message: string | string[]; code?: string };
}

/** Events the server sends, with their payloads. Alert events ask for an acknowledgement. */
export interface ServerToClientEvents {
  'alert.created': (alert: AlertView, ack: (received: { ok: true }) => void) => void;
  'alert.updated': (alert: AlertView, ack: (received: { ok: true }) => void) => void;
  'alert.cancelled': (alert: AlertView, ack: (received: { ok: true }) => void) => void;
  'alert.escalated': (alert: AlertView, ack: (received: { ok: true }) => void) => void;
  'alert.response': (event: AlertResponseEvent) => void;
  'auth.expiring': (info: { expiresAt: number }) => void;
}

/** Events a client sends; each is answered through its acknowledgement callback. */
export interface ClientToServerEvents {
  'auth.refresh': (
    payload: { token: string },
    ack: (r: SocketAck<{ expiresAt: number }>) => void,
  ) => void;
  'alert.respond': (
    payload: { alertId: string; status: string; etaMinutes?: number },
    ack: (r: SocketAck<unknown>) => void,
  ) => void;
  'alert.ack': (
    payload: { alertId: string; seq: number },
    ack: (r: SocketAck<unknown>) => void,
  ) => void;
}
