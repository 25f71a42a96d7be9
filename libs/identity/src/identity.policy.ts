import { Injectable } from '@nestjs/common';
import { DomainError } from '@tocsin/common';
import type { Principal } from '@tocsin/http';

/** What the policy needs to know about a user it decides on. */
export interface UserSubject {
  id: string;
  agencyId: string;
}

/**
 * Every authorization rule for agencies and users, in one place. Another agency's objects
 * are answered "not found" (403 would confirm they exist); the caller's own agency with too
 * low a role is "forbidden". The platform operator manages agencies and their users.
 */
@Injectable()
export class IdentityPolicy {
  /** Creating agencies. */
  assertCanCreateAgency(principal: Principal): void {
    if (!principal.isOperator) throw forbidden('only the platform operator creates agencies');
  }

  /** Seeing an agency: one's own, or any for the operator. */
  assertCanViewAgency(principal: Principal, agencyId: string): void {
    if (!principal.isOperator && principal.agencyId !== agencyId) throw agencyNotFound();
  }

  /** Listing an agency's users: its administrators and dispatchers, and the operator. */
  assertCanListUsers(principal: Principal, agencyId: string): void {
    this.assertCanViewAgency(principal, agencyId);
    if (principal.isOperator) return;
    if (principal.role !== 'admin' && principal.role !== 'dispatcher') {
      throw forbidden("only administrators and dispatchers list the agency's users");
    }
  }

  /** Creating, changing, disabling users: the agency's administrators, and the operator. */
  assertCanManageUsers(principal: Principal, agencyId: string): void {
    this.assertCanViewAgency(principal, agencyId);
    if (principal.isOperator) return;
    if (principal.role !== 'admin') throw forbidden('only administrators manage users');
  }

  /** Seeing one user: oneself, or as someone who may list the user's agency. */
  assertCanViewUser(principal: Principal, user: UserSubject): void {
    if (user.id === principal.userId) return;
    if (!principal.isOperator && user.agencyId !== principal.agencyId) throw userNotFound();
    this.assertCanListUsers(principal, user.agencyId);
  }

  /** Renaming a user: as someone who manages the user's agency (oneself included). */
  assertCanRenameUser(principal: Principal, user: UserSubject): void {
    if (!principal.isOperator && user.agencyId !== principal.agencyId) throw userNotFound();
    this.assertCanManageUsers(principal, user.agencyId);
  }

  /**
   * Changing a user's role or state. Nobody changes their own role or disables themselves:
   * that is how an agency loses its last administrator.
   */
  assertCanManageUser(principal: Principal, user: UserSubject): void {
    if (!principal.isOperator && user.agencyId !== principal.agencyId) throw userNotFound();
    this.assertCanManageUsers(principal, user.agencyId);
    if (user.id === principal.userId) {
      throw new DomainError(
        'conflict',
        'user.self_change',
        'you cannot change your own role or disable yourself; ask another administrator',
      );
    }
  }
}

function forbidden(message: string): DomainError {
  return new DomainError('forbidden', 'identity.forbidden', message);
}

export function agencyNotFound(): DomainError {
  return new DomainError('not_found', 'agency.not_found', 'no such agency');
}

export function userNotFound(): DomainError {
  return new DomainError('not_found', 'user.not_found', 'no such user');
}
