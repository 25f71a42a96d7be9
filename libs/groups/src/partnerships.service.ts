import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { DomainError } from '@tocsin/common';
import type { Principal } from '@tocsin/http';
import type { EntityManager } from 'typeorm';
import { GroupEvents } from './group-events';
import { GroupPolicy } from './group.policy';
import { GroupsService } from './groups.service';

export interface PartnerInvitationView {
  groupId: string;
  groupName: string;
  ownerAgencyId: string;
  ownerAgencyName: string;
  invitedAt: string;
}

/**
 * Interagency groups: the owner's administrator invites a partner agency, the partner's
 * administrator accepts; either side ends the partnership, which removes the partner's
 * members from the group. Both agencies' logs record each step.
 */
@Injectable()
export class PartnershipsService {
  constructor(
    @InjectEntityManager() private readonly manager: EntityManager,
    private readonly groups: GroupsService,
    private readonly policy: GroupPolicy,
    private readonly audit: AuditService,
    private readonly events: GroupEvents,
  ) {}

  async invite(principal: Principal, groupId: string, partnerAgencyId: string): Promise<void> {
    await this.manager.transaction(async (tx) => {
      const access = await this.groups.access(principal, groupId, tx, true);
      this.policy.assertCanEdit(principal, access);
      if (!access.interagency) {
        throw new DomainError('conflict', 'group.not_interagency', 'the group is not interagency');
      }
      if (partnerAgencyId === principal.agencyId) {
        throw new DomainError('invalid', 'group.self_partner', 'the owner is already in the group');
      }
      const agency = (await tx.query('SELECT 1 FROM agencies WHERE id = $1', [
        partnerAgencyId,
      ])) as unknown[];
      if (agency.length === 0) {
        throw new DomainError('not_found', 'agency.not_found', 'no such agency');
      }

      const inserted = (await tx.query(
        `INSERT INTO group_partners (group_id, agency_id, status, invited_by)
         VALUES ($1, $2, 'invited', $3) ON CONFLICT DO NOTHING RETURNING group_id`,
        [groupId, partnerAgencyId, principal.userId],
      )) as unknown[];
      if (inserted.length === 0) {
        throw new DomainError('conflict', 'group.already_partner', 'already invited or joined');
      }
      await this.recordBoth(tx, principal, groupId, access.ownerAgencyId, partnerAgencyId, {
        action: 'group.partner_invited',
      });
    });
  }

  async accept(principal: Principal, groupId: string): Promise<void> {
    await this.manager.transaction(async (tx) => {
      const access = await this.groups.access(principal, groupId, tx, true);
      this.policy.assertCanAcceptPartnership(principal, access);

      await tx.query(
        `UPDATE group_partners SET status = 'active', accepted_by = $3, accepted_at = now()
          WHERE group_id = $1 AND agency_id = $2`,
        [groupId, principal.agencyId, principal.userId],
      );
      await this.recordBoth(tx, principal, groupId, access.ownerAgencyId, principal.agencyId, {
        action: 'group.partner_joined',
      });
    });
  }

  /** The owner removes a partner, or a partner leaves or declines; its members go with it. */
  async remove(principal: Principal, groupId: string, partnerAgencyId: string): Promise<void> {
    const removed = await this.manager.transaction(async (tx) => {
      const access = await this.groups.access(principal, groupId, tx, true);
      this.policy.assertCanRemovePartner(principal, access, partnerAgencyId);

      const [, count] = (await tx.query(
        'DELETE FROM group_partners WHERE group_id = $1 AND agency_id = $2',
        [groupId, partnerAgencyId],
      )) as [unknown[], number];
      if (count === 0) {
        throw new DomainError('not_found', 'group.partner_not_found', 'not a partner of the group');
      }
      const [members] = (await tx.query(
        'DELETE FROM group_members WHERE group_id = $1 AND agency_id = $2 RETURNING user_id',
        [groupId, partnerAgencyId],
      )) as [{ user_id: string }[], number];
      const userIds = members.map((member) => member.user_id);
      await this.recordBoth(tx, principal, groupId, access.ownerAgencyId, partnerAgencyId, {
        action: 'group.partner_removed',
        removedMembers: userIds,
      });

      return userIds;
    });

    if (removed.length > 0) {
      await this.events.emit('group.members_changed', { groupId, added: [], removed });
    }
  }

  /** Invitations waiting for the caller's agency (administrators). */
  async pending(principal: Principal): Promise<PartnerInvitationView[]> {
    if (principal.role !== 'admin') {
      throw new DomainError('forbidden', 'group.forbidden', 'only administrators see invitations');
    }
    const rows = (await this.manager.query(
      `SELECT g.id AS "groupId", g.name AS "groupName", a.id AS "ownerAgencyId",
              a.name AS "ownerAgencyName", p.invited_at AS "invitedAt"
         FROM group_partners p
         JOIN groups g ON g.id = p.group_id
         JOIN agencies a ON a.id = g.agency_id
        WHERE p.agency_id = $1 AND p.status = 'invited'
        ORDER BY p.invited_at`,
      [principal.agencyId],
    )) as (Omit<PartnerInvitationView, 'invitedAt'> & { invitedAt: Date })[];

    return rows.map((row) => ({ ...row, invitedAt: row.invitedAt.toISOString() }));
  }

  /**
   * A partnership concerns two agencies: the event goes into both logs. Chains are locked
   * in id order, so two partnerships between the same agencies cannot deadlock.
   */
  private async recordBoth(
    tx: EntityManager,
    principal: Principal,
    groupId: string,
    ownerAgencyId: string,
    partnerAgencyId: string,
    data: { action: string; removedMembers?: string[] },
  ): Promise<void> {
    for (const agencyId of [ownerAgencyId, partnerAgencyId].sort()) {
      await this.audit.record(tx, {
        agencyId,
        actorId: principal.userId,
        action: data.action,
        targetType: 'group',
        targetId: groupId,
        data: {
          ownerAgencyId,
          partnerAgencyId,
          ...(data.removedMembers ? { removedMembers: data.removedMembers } : {}),
        },
      });
    }
  }
}
