/** A user's role in their agency. */
export const USER_ROLES = ['admin', 'dispatcher', 'responder', 'observer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A member's role in a responder group. */
export const GROUP_ROLES = ['member', 'lead'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

/** `POST /api/auth/login` and `POST /api/auth/refresh`. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshExpiresAt: string;
}

export interface AgencyView {
  id: string;
  name: string;
  createdAt: string;
}

export interface UserView {
  id: string;
  agencyId: string;
  email: string;
  displayName: string;
  role: UserRole;
  isOperator: boolean;
  disabled: boolean;
  mustChangePassword: boolean;
  /** False while an invitation is pending. */
  hasPassword: boolean;
  createdAt: string;
}

/** `GET /api/me`. */
export interface MeView extends UserView {
  agency: AgencyView;
}

/** `POST /api/agencies/:id/users`: the invitation is present when no password was given. */
export interface CreatedUserView {
  user: UserView;
  invitation?: { token: string; url: string; expiresAt: string };
}

export interface GroupMemberView {
  userId: string;
  agencyId: string;
  displayName: string;
  role: GroupRole;
  addedAt: string;
}

export interface GroupPartnerView {
  agencyId: string;
  agencyName: string;
  status: 'invited' | 'active';
}

export interface GroupView {
  id: string;
  agencyId: string;
  name: string;
  interagency: boolean;
  /** GeoJSON MultiPolygon, or null. */
  jurisdiction: { type: 'MultiPolygon'; coordinates: number[][][][] } | null;
  createdAt: string;
}

export interface GroupDetailView extends GroupView {
  members: GroupMemberView[];
  partners: GroupPartnerView[];
}

export interface AuditEventView {
  id: string;
  seq: string;
  agencyId: string | null;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  hash: string;
}

export interface AuditPage {
  items: AuditEventView[];
  nextCursor: string | null;
}

/** `GET /api/audit/verify`. */
export interface AuditVerification {
  ok: boolean;
  checked: number;
  chains: number;
  firstBrokenId?: string;
  firstBrokenSeq?: string;
  reason?: 'hash_mismatch' | 'prev_hash_mismatch';
}
