import type {
  ConversationKind,
  ConversationView,
  MessageKind,
  MessageView,
  SharedLocation,
} from '@tocsin/contracts';

/** A conversation row as the stores read it (bigints already numbers). */
export interface ConversationRecord {
  id: string;
  kind: ConversationKind;
  agencyId: string;
  title: string | null;
  groupId: string | null;
  alertId: string | null;
  lastSeq: number;
  lastRev: number;
  createdAt: Date;
}

export interface MemberRecord {
  userId: string;
  agencyId: string;
  joinedSeq: number;
  visibleFromSeq: number;
  leftSeq: number | null;
  deliveredSeq: number;
  readSeq: number;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: string | number;
  rev: string | number;
  client_id: string;
  sender_id: string | null;
  sender_name: string | null;
  sender_agency_id: string;
  kind: MessageKind;
  body: string | null;
  location: SharedLocation | null;
  version: number;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

/**
 * Columns of {@link MessageRow}, for `FROM messages m LEFT JOIN users su ON su.id = m.sender_id`.
 */
export const MESSAGE_COLUMNS = `m.id, m.conversation_id, m.seq, m.rev, m.client_id, m.sender_id,
  COALESCE(su.display_name, m.sender_label) AS sender_name, m.sender_agency_id, m.kind, m.body,
  m.location, m.version, m.created_at, m.edited_at, m.deleted_at`;

export function toMessageView(row: MessageRow): MessageView {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    rev: Number(row.rev),
    clientId: row.client_id,
    senderId: row.sender_id,
    senderName: row.sender_name,
    senderAgencyId: row.sender_agency_id,
    kind: row.kind,
    body: row.body,
    location: row.location,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
  };
}

export function toConversationView(
  conversation: ConversationRecord,
  extra: { archivingAgencyIds: string[]; legalHold: boolean },
): ConversationView {
  const agencies = [...new Set([conversation.agencyId, ...extra.archivingAgencyIds])].sort();

  return {
    id: conversation.id,
    kind: conversation.kind,
    title: conversation.title,
    agencyId: conversation.agencyId,
    groupId: conversation.groupId,
    alertId: conversation.alertId,
    lastSeq: conversation.lastSeq,
    lastRev: conversation.lastRev,
    archived: true,
    archivingAgencyIds: agencies,
    interagency: agencies.length > 1,
    legalHold: extra.legalHold,
    createdAt: conversation.createdAt.toISOString(),
  };
}
