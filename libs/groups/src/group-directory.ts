import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { GroupView } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import type { EntityManager } from 'typeorm';
import { loadGroupAccess } from './group-access';
import { loadVisibleGroups } from './group-views';
import { GroupPolicy } from './group.policy';

/**
 * What other libraries ask about groups (alerts resolve recipients, the gateway joins rooms,
 * conversations check membership). Read-only; every answer follows {@link GroupPolicy}.
 */
@Injectable()
export class GroupDirectory {
  constructor(
    @InjectEntityManager() private readonly manager: EntityManager,
    private readonly policy: GroupPolicy,
  ) {}

  /** The distinct enabled users who are members of any of these groups. */
  async memberUserIds(groupIds: string[], manager = this.manager): Promise<string[]> {
    if (groupIds.length === 0) return [];
    const rows = (await manager.query(
      `SELECT DISTINCT m.user_id
         FROM group_members m JOIN users u ON u.id = m.user_id
        WHERE m.group_id = ANY($1::uuid[]) AND u.disabled_at IS NULL
        ORDER BY m.user_id`,
      [groupIds],
    )) as { user_id: string }[];

    return rows.map((row) => row.user_id);
  }

  /** Groups the agency owns or has joined as an active partner. */
  groupsVisibleToAgency(agencyId: string): Promise<GroupView[]> {
    return loadVisibleGroups(this.manager, agencyId);
  }

  /** May this caller send an alert to this group? False for a group they cannot see. */
  async canTarget(principal: Principal, groupId: string): Promise<boolean> {
    const access = await loadGroupAccess(this.manager, principal, groupId);

    return access !== undefined && this.policy.canTarget(principal, access);
  }

  async isMember(userId: string, groupId: string): Promise<boolean> {
    if (!userId || !groupId) return false;
    const rows = (await this.manager.query(
      'SELECT 1 FROM group_members WHERE group_id = $1 AND user_id = $2',
      [groupId, userId],
    )) as unknown[];

    return rows.length > 0;
  }
}
