import { DomainError } from '@tocsin/common';
import type { UserRole } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';

/** A session that is live at this moment, with what its user may do. */
export interface LiveSessionRow {
  sid: string;
  sub: string;
  agency_id: string;
  role: UserRole;
  is_operator: boolean;
  must_change_password: boolean;
}

/** The columns of {@link LiveSessionRow}, from `sessions s JOIN users u ON u.id = s.user_id`. */
export const LIVE_SESSION_COLUMNS = `s.id AS sid, s.user_id AS sub,
       u.agency_id, u.role, u.is_operator, u.must_change_password`;

/** Not revoked (logout, password change, disabling), unexpired, and the user enabled. */
export const LIVE_SESSION_CONDITIONS =
  's.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL';

/**
 * The live session `sessionId` of `userId` (SQL expressions, such as `$1::uuid`): one row or
 * none. For a route that checks the session in its own statement (`@SessionCheckedByRoute`),
 * so that the check reads the same snapshot as the data: a logout committed before the
 * statement starts refuses it.
 */
export function liveSessionSql(sessionId: string, userId: string): string {
  return `SELECT ${LIVE_SESSION_COLUMNS}
            FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.id = ${sessionId} AND s.user_id = ${userId} AND ${LIVE_SESSION_CONDITIONS}`;
}

export function principalOf(live: LiveSessionRow): Principal {
  return {
    userId: live.sub,
    agencyId: live.agency_id,
    role: live.role,
    isOperator: live.is_operator,
    sessionId: live.sid,
    mustChangePassword: live.must_change_password,
  };
}

/**
 * What the guard would have decided for a route open to every role: the principal, or a 401
 * when the session is not live, or a 403 while the user still has a temporary password.
 */
export function admitLiveSession(live: LiveSessionRow | undefined): Principal {
  if (!live) throw sessionEnded();
  if (live.must_change_password) throw passwordChangeRequired();

  return principalOf(live);
}

export function sessionEnded(): DomainError {
  return new DomainError('unauthenticated', 'auth.session_ended', 'the session has ended');
}

// A password an administrator chose is known to two people: change it before anything else.
export function passwordChangeRequired(): DomainError {
  return new DomainError(
    'forbidden',
    'password.change_required',
    'change your temporary password first: PUT /api/me/password',
  );
}
