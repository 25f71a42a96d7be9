/** Chat: conversations, messages, receipts and the archive, shared by the server and the PWA. */

export const CONVERSATION_KINDS = ['group', 'incident', 'direct', 'interagency'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

export const MESSAGE_KINDS = ['text', 'location'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Longest message text, in characters (UTF-16 code units, as JavaScript counts them). */
export const MESSAGE_MAX_LENGTH = 4000;
/** Longest client-generated message id. */
export const CLIENT_ID_MAX_LENGTH = 100;

export interface SharedLocation {
  lat: number;
  lon: number;
  /** Metres, when the device knows it. */
  accuracy?: number;
}

export interface ConversationView {
  id: string;
  kind: ConversationKind;
  title: string | null;
  /** The agency that created it (for a group or incident: the group's or alert's agency). */
  agencyId: string;
  groupId: string | null;
  alertId: string | null;
  /** Seq of the newest message. */
  lastSeq: number;
  /** Number of the newest change (message created, edited or deleted). */
  lastRev: number;
  /** Always true: every agency taking part keeps a copy it can read and export. */
  archived: true;
  /** The agencies whose archives hold this conversation. */
  archivingAgencyIds: string[];
  /** More than one agency takes part. */
  interagency: boolean;
  /** Some agency has put it under legal hold: retention deletes nothing in it. */
  legalHold: boolean;
  createdAt: string;
  /** The caller's standing; absent in archive views. */
  membership?: { deliveredSeq: number; readSeq: number; unread: number; visibleFromSeq: number };
}

export interface ConversationMemberView {
  userId: string;
  agencyId: string;
  displayName: string;
  joinedSeq: number;
  deliveredSeq: number;
  readSeq: number;
}

export interface MessageView {
  id: string;
  conversationId: string;
  /** Position in the conversation: 1, 2, 3 ... gap-free when sent (retention may delete). */
  seq: number;
  /** Number of this message's latest change within the conversation (see lastRev). */
  rev: number;
  clientId: string;
  senderId: string | null;
  senderName: string | null;
  senderAgencyId: string;
  kind: MessageKind;
  /** Null once deleted. */
  body: string | null;
  location: SharedLocation | null;
  /** 1 when sent, +1 per edit or deletion. */
  version: number;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export interface MessagePage {
  messages: MessageView[];
  lastSeq: number;
  lastRev: number;
}

/** What a reconnecting client sends: its last seq, or its last seq and rev, per conversation. */
export type CatchUpPosition = number | { seq: number; rev: number };

export interface CatchUpResult {
  conversations: Array<{
    conversationId: string;
    lastSeq: number;
    lastRev: number;
    /** New messages and older ones changed since, in their current state, by seq. */
    messages: MessageView[];
  }>;
  /** Conversations asked about that the caller may not read (left, removed, unknown). */
  refused: string[];
}

export interface ReceiptEvent {
  conversationId: string;
  userId: string;
  deliveredSeq: number;
  readSeq: number;
}

export interface TypingEvent {
  conversationId: string;
  userId: string;
  typing: boolean;
}

export interface PresenceEvent {
  userId: string;
  online: boolean;
}

export interface MembershipEvent {
  conversationId: string;
  userId: string;
}

export interface MessagingPolicyView {
  agencyId: string;
  allowDirect: boolean;
  allowInteragency: boolean;
  newMembersSeeHistory: boolean;
  /** Days a message is kept; null keeps messages forever. */
  retentionDays: number | null;
}

export interface ArchiveManifest {
  format: 'tocsin-chat-export/1';
  conversation: ConversationView;
  exportedBy: string;
  exportedAt: string;
  range: { from: string | null; to: string | null };
  counts: { messages: number; versions: number; edits: number; deletions: number };
  /** SHA-256 (hex) of the exact `jsonl` and `transcript` texts. */
  sha256: { jsonl: string; transcript: string };
}

export interface ArchiveExport {
  manifest: ArchiveManifest;
  /** One JSON object a line: every version of every message, in seq then version order. */
  jsonl: string;
  /** The same, for people to read. */
  transcript: string;
}
