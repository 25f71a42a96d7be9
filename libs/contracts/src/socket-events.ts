import type { AlertResponseEvent, AlertView } from './alerts';
import type {
  CatchUpPosition,
  CatchUpResult,
  MembershipEvent,
  MessageView,
  PresenceEvent,
  ReceiptEvent,
  SharedLocation,
  TypingEvent,
} from './messaging';

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
  /** A new message, to the conversation's members. */
  'message.created': (message: MessageView) => void;
  /** An edit: the message in its new state (a higher `version` and `rev`). */
  'message.updated': (message: MessageView) => void;
  /** A deletion: the message with `body` and `location` null and `deletedAt` set. */
  'message.deleted': (message: MessageView) => void;
  'message.receipt': (receipt: ReceiptEvent) => void;
  typing: (event: TypingEvent) => void;
  presence: (event: PresenceEvent) => void;
  /** To the user concerned: they joined or left a conversation (their rooms follow). */
  'conversation.joined': (event: MembershipEvent) => void;
  'conversation.left': (event: MembershipEvent) => void;
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
  'message.send': (
    payload: { conversationId: string; clientId: string; body?: string; location?: SharedLocation },
    ack: (r: SocketAck<MessageView>) => void,
  ) => void;
  'message.edit': (
    payload: { conversationId: string; messageId: string; body: string },
    ack: (r: SocketAck<MessageView>) => void,
  ) => void;
  'message.delete': (
    payload: { conversationId: string; messageId: string },
    ack: (r: SocketAck<MessageView>) => void,
  ) => void;
  'message.read': (
    payload: { conversationId: string; seq: number },
    ack: (r: SocketAck<ReceiptEvent>) => void,
  ) => void;
  'message.delivered': (
    payload: { conversationId: string; seq: number },
    ack: (r: SocketAck<ReceiptEvent>) => void,
  ) => void;
  'conversation.catchUp': (
    payload: { positions: Record<string, CatchUpPosition> },
    ack: (r: SocketAck<CatchUpResult>) => void,
  ) => void;
  typing: (
    payload: { conversationId: string; typing: boolean },
    ack: (r: SocketAck<{ sent: true }>) => void,
  ) => void;
  'presence.query': (
    payload: { conversationId: string },
    ack: (r: SocketAck<{ online: string[] }>) => void,
  ) => void;
}

/**
 * What a client puts in its handshake's `auth.received`: the alerts it has handled, each with
 * the highest seq it has (`{ [alertId]: seq }`). The catch-up on connect does not send those
 * events again: an acknowledgement can be lost between the client and the ledger (a server
 * killed before it wrote its batch). At most {@link MAX_RECEIVED_ALERTS} alerts, the newest.
 */
export type ReceivedAlerts = Record<string, number>;

/** The most alerts `auth.received` may name; a larger marker is ignored as a whole. */
export const MAX_RECEIVED_ALERTS = 100;
