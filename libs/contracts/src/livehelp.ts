/** Live Help: the public widget, the representative console and the server share these. */
import type { MessageView } from './messaging';

export const PUSH_MODES = ['same_tab', 'new_tab'] as const;
export type PushMode = (typeof PUSH_MODES)[number];

export type LiveHelpStatus = 'waiting' | 'active' | 'closed';

export interface CannedAnswer {
  title: string;
  body: string;
}

/** An agency's Live Help settings (administrators). */
export interface LiveHelpSettingsView {
  agencyId: string;
  /** Origins (`https://www.example.org`) whose pages may embed the widget. */
  allowedOrigins: string[];
  /** URL prefixes on those sites that representatives may push to a visitor. */
  pushPrefixes: string[];
  pushMode: PushMode;
  cannedAnswers: CannedAnswer[];
  /** GeoJSON (Multi)Polygon: public alerts meeting it are shown to visitors. */
  area: Record<string, unknown> | null;
}

/** One visitor's chat, as representatives see it in the queue and in their list. */
export interface LiveHelpChatView {
  conversationId: string;
  visitorId: string;
  name: string | null;
  topic: string | null;
  origin: string;
  status: LiveHelpStatus;
  representativeId: string | null;
  representativeName: string | null;
  createdAt: string;
  acceptedAt: string | null;
  closedAt: string | null;
  /** Seconds since the visitor arrived (waiting) or was accepted. */
  waitingSeconds: number;
  blocked: boolean;
}

/** What a visitor's widget knows about its own chat. */
export interface VisitorSessionView {
  visitorId: string;
  conversationId: string;
  agencyId: string;
  agencyName: string;
  name: string | null;
  topic: string | null;
  status: LiveHelpStatus;
  representativeName: string | null;
  pushMode: PushMode;
}

/** A message as the visitor sees it: no user ids of the agency's staff. */
export interface VisitorMessageView {
  id: string;
  seq: number;
  clientId: string | null;
  fromVisitor: boolean;
  senderName: string | null;
  body: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

/** `POST /api/livehelp/visitors` and `POST /api/livehelp/visitor/resume`. */
export interface VisitorSessionResponse {
  /** Send as `Authorization: Bearer <token>` on visitor routes and as the socket's token. */
  token: string;
  expiresAt: string;
  session: VisitorSessionView;
  messages: VisitorMessageView[];
}

/** A public alert shown in the widget while it is active over the agency's area. */
export interface LiveHelpAlertView {
  id: string;
  event: string;
  headline: string;
  severity: string;
  urgency: string;
  instruction: string | null;
  areaDesc: string[];
  expires: string;
}

/** Events on the `/livehelp` Socket.IO namespace (server to client). */
export interface LiveHelpServerEvents {
  /** The visitor: a message of their chat (created, edited or deleted; its current state). */
  'livehelp.message': VisitorMessageView;
  /** Representatives: a message of a chat they hold, as the chat routes show it. */
  'message.created': MessageView;
  'message.updated': MessageView;
  'message.deleted': MessageView;
  /** Representatives of the agency: the whole waiting queue after any change. */
  'livehelp.queue': { waiting: LiveHelpChatView[] };
  /** Representatives: a chat they hold or held changed (accepted, transferred, closed). */
  'livehelp.chat': LiveHelpChatView;
  /** The visitor: their chat changed (a representative joined, the chat ended). */
  'livehelp.session': VisitorSessionView;
  /** The visitor: open this page (after showing the notice). */
  'livehelp.push': { url: string; mode: PushMode; notice: string };
}
