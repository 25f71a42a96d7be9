import type {
  AlertAreaView,
  AlertState,
  AlertView,
  CapCategory,
  CapCertainty,
  CapMsgType,
  CapScope,
  CapSeverity,
  CapStatus,
  CapUrgency,
} from '@tocsin/contracts';

/** An alert row as the repository reads it, with its areas. */
export interface AlertRecord {
  id: string;
  agencyId: string;
  senderUserId: string | null;
  identifier: string;
  sender: string;
  sent: Date;
  status: CapStatus;
  msgType: CapMsgType;
  scope: CapScope;
  references: { sender: string; identifier: string; sent: string }[];
  version: number;
  seq: number;
  event: string;
  headline: string;
  description: string | null;
  instruction: string | null;
  category: CapCategory[];
  severity: CapSeverity;
  urgency: CapUrgency;
  certainty: CapCertainty;
  effective: Date;
  onset: Date | null;
  expires: Date;
  groupIds: string[];
  escalateAfterSeconds: number | null;
  backupGroupId: string | null;
  escalatedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  areas: AlertAreaView[];
}

export function alertState(record: AlertRecord, now = new Date()): AlertState {
  if (record.cancelledAt) return 'cancelled';

  return record.expires.getTime() <= now.getTime() ? 'expired' : 'active';
}

/** The view clients receive. Times are ISO 8601 in UTC. */
export function toAlertView(record: AlertRecord): AlertView {
  return {
    id: record.id,
    agencyId: record.agencyId,
    identifier: record.identifier,
    sender: record.sender,
    sent: record.sent.toISOString(),
    status: record.status,
    msgType: record.msgType,
    scope: record.scope,
    state: alertState(record),
    cancelReason: record.cancelReason,
    version: record.version,
    seq: record.seq,
    event: record.event,
    headline: record.headline,
    description: record.description,
    instruction: record.instruction,
    category: record.category,
    severity: record.severity,
    urgency: record.urgency,
    certainty: record.certainty,
    effective: record.effective.toISOString(),
    onset: record.onset?.toISOString() ?? null,
    expires: record.expires.toISOString(),
    areas: record.areas,
    groupIds: record.groupIds,
    escalation:
      record.escalateAfterSeconds === null
        ? null
        : {
            afterSeconds: record.escalateAfterSeconds,
            backupGroupId: record.backupGroupId,
            escalatedAt: record.escalatedAt?.toISOString() ?? null,
          },
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
