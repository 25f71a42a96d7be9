import type { GroupRole } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import type { EntityManager } from 'typeorm';
import type { GroupAccess } from './group.policy';

interface AccessRow {
  owner_agency_id: string;
  interagency: boolean;
  partner_status: 'invited' | 'active' | null;
  caller_role: GroupRole | null;
}

/**
 * Loads the caller's standing towards a group in one query; undefined when there is no
 * such group. `forUpdate` locks the group row so membership changes are serialised.
 */
export async function loadGroupAccess(
  manager: EntityManager,
  principal: Pick<Principal, 'agencyId' | 'userId'>,
  groupId: string,
  forUpdate = false,
): Promise<GroupAccess | undefined> {
  if (!groupId) return undefined;
  const rows = (await manager.query(
    `SELECT g.agency_id AS owner_agency_id, g.interagency,
            (SELECT p.status FROM group_partners p
              WHERE p.group_id = g.id AND p.agency_id = $2) AS partner_status,
            (SELECT m.role FROM group_members m
              WHERE m.group_id = g.id AND m.user_id = $3) AS caller_role
       FROM groups g
      WHERE g.id = $1
      ${forUpdate ? 'FOR UPDATE OF g' : ''}`,
    [groupId, principal.agencyId, principal.userId],
  )) as AccessRow[];
  const row = rows[0];
  if (!row) return undefined;

  const relation =
    row.owner_agency_id === principal.agencyId
      ? 'owner'
      : row.partner_status === 'active'
        ? 'partner'
        : row.partner_status === 'invited'
          ? 'invited'
          : 'none';

  return {
    groupId,
    ownerAgencyId: row.owner_agency_id,
    interagency: row.interagency,
    relation,
    callerRole: row.caller_role,
  };
}
