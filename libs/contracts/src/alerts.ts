/** CAP 1.2 enumerations, spelled as CAP spells them. */
export const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const CAP_SCOPES = ['Public', 'Restricted', 'Private'] as const;
export const CAP_CATEGORIES = [
  'Geo',
  'Met',
  'Safety',
  'Security',
  'Rescue',
  'Fire',
  'Health',
  'Env',
  'Transport',
  'Infra',
  'CBRNE',
  'Other',
] as const;
export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;

export type CapStatus = (typeof CAP_STATUSES)[number];
export type CapMsgType = (typeof CAP_MSG_TYPES)[number];
export type CapScope = (typeof CAP_SCOPES)[number];
export type CapCategory = (typeof CAP_CATEGORIES)[number];
export type CapUrgency = (typeof CAP_URGENCIES)[number];
export type CapSeverity = (typeof CAP_SEVERITIES)[number];
export type CapCertainty = (typeof CAP_CERTAINTIES)[number];

export const RESPONSE_STATUSES = ['acknowledged', 'responding', 'on_scene', 'unavailable'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

export type AlertState = 'active' | 'cancelled' | 'expired';
export type TargetReason = 'group' | 'location' | 'jurisdiction' | 'backup';

export interface GeoJsonMultiPolygon {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}

export interface AlertAreaView {
  areaDesc: string;
  geometry: GeoJsonMultiPolygon | null;
  circle?: { center: [number, number]; radiusMeters: number };
  geocodes?: { valueName: string; value: string }[];
}

/** An alert as the API and the socket events carry it. */
export interface AlertView {
  id: string;
  agencyId: string;
  identifier: string;
  sender: string;
  sent: string;
  status: CapStatus;
  msgType: CapMsgType;
  scope: CapScope;
  state: AlertState;
  /** Why the alert was cancelled, when it is and a reason was given. */
  cancelReason: string | null;
  version: number;
  /** The sequence number of the event that produced this view, per alert. */
  seq: number;
  event: string;
  headline: string;
  description: string | null;
  instruction: string | null;
  category: CapCategory[];
  severity: CapSeverity;
  urgency: CapUrgency;
  certainty: CapCertainty;
  effective: string;
  onset: string | null;
  expires: string;
  areas: AlertAreaView[];
  groupIds: string[];
  escalation: {
    afterSeconds: number;
    backupGroupId: string | null;
    escalatedAt: string | null;
  } | null;
  createdAt: string;
  updatedAt: string;
}

export interface RecipientView {
  userId: string;
  displayName: string;
  agencyId: string;
  reasons: TargetReason[];
  deliveredAt: string | null;
  pushedAt: string | null;
  seenAt: string | null;
  response: ResponseStatus | null;
  etaMinutes: number | null;
  respondedAt: string | null;
  escalatedAt: string | null;
}

export interface ResponseTally {
  recipients: number;
  delivered: number;
  acknowledged: number;
  responding: number;
  on_scene: number;
  unavailable: number;
  silent: number;
}

export interface AlertResponseEvent {
  alertId: string;
  userId: string;
  displayName: string;
  response: ResponseStatus;
  etaMinutes: number | null;
  respondedAt: string;
  tally: ResponseTally;
}

export interface TargetPreview {
  count: number;
  byReason: Record<TargetReason, number>;
  recipients: { userId: string; displayName: string; reasons: TargetReason[] }[];
}

/** A user's last reported position, as the agency's staff see it on the map. */
export interface ResponderPositionView {
  userId: string;
  displayName: string;
  role: string;
  lat: number;
  lon: number;
  accuracy: number;
  reportedAt: string;
}
