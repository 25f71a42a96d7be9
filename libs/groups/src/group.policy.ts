import { Injectable } from '@nestjs/common';
import { DomainError } from '@tocsin/common';
import type { GroupRole } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';

/** How the caller's agency stands towards a group. */
export type GroupRelation = 'owner' | 'partner' | 'invited' | 'none';

/** Everything a rule needs: the group's owner, the caller's agency's relation, their role in it. */
export interface GroupAccess {
  groupId: string;
  ownerAgencyId: string;
  interagency: boolean;
  relation: GroupRelation;
  /** The caller's own membership, if any. */
  callerRole: GroupRole | null;
}

/**
 * Every authorization rule for groups, in one place. A group the caller's agency neither
 * owns nor has joined does not exist for the caller (404). Within a visible group, each
 * agency manages only its own members: its administrators, and the group's leads from it.
 */
@Injectable()
export class GroupPolicy {
  isVisible(access: GroupAccess): boolean {
    return access.relation === 'owner' || access.relation === 'partner';
  }

  assertCanView(access: GroupAccess): void {
    if (!this.isVisible(access)) throw groupNotFound();
  }

  assertCanCreate(principal: Principal): void {
    if (principal.role !== 'admin') throw forbidden('only administrators create groups');
  }

  /** Renaming, the jurisdiction, inviting and removing partners: the owner's administrators. */
  assertCanEdit(principal: Principal, access: GroupAccess): void {
    this.assertCanView(access);
    if (access.relation !== 'owner' || principal.role !== 'admin') {
      throw forbidden("only the owner agency's administrators change the group");
    }
  }

  /**
   * Adding or removing a member of the caller's own agency: administrators, and leads of
   * the group. Anyone may remove themselves (leave).
   */
  assertCanManageMember(
    principal: Principal,
    access: GroupAccess,
    target: { userId: string; agencyId: string },
  ): void {
    this.assertCanView(access);
    if (target.agencyId !== principal.agencyId) {
      throw forbidden('each agency manages only its own members of a group');
    }
    if (target.userId === principal.userId && access.callerRole !== null) return;
    if (principal.role !== 'admin' && access.callerRole !== 'lead') {
      throw forbidden("only administrators and the group's leads manage its members");
    }
  }

  /** Accepting an invitation to join: the invited agency's administrators. */
  assertCanAcceptPartnership(principal: Principal, access: GroupAccess): void {
    if (access.relation !== 'invited') throw groupNotFound();
    if (principal.role !== 'admin') throw forbidden('only administrators accept partnerships');
  }

  /** Ending a partnership: the owner's administrators, or the partner's (leaving, declining). */
  assertCanRemovePartner(principal: Principal, access: GroupAccess, partnerAgencyId: string) {
    if (access.relation === 'owner') return this.assertCanEdit(principal, access);
    if (access.relation === 'none' || partnerAgencyId !== principal.agencyId) {
      throw groupNotFound();
    }
    if (principal.role !== 'admin') throw forbidden('only administrators end partnerships');
  }

  /** Sending an alert to the group: administrators and dispatchers of an agency in it. */
  canTarget(principal: Principal, access: GroupAccess): boolean {
    return (
      this.isVisible(access) && (principal.role === 'admin' || principal.role === 'dispatcher')
    );
  }
}

function forbidden(message: string): DomainError {
  return new DomainError('forbidden', 'group.forbidden', message);
}

export function groupNotFound(): DomainError {
  return new DomainError('not_found', 'group.not_found', 'no such group');
}
