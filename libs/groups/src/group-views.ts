import type { GroupDetailView, GroupView } from '@tocsin/contracts';
import type { EntityManager } from 'typeorm';

interface GroupRow {
  id: string;
  agency_id: string;
  name: string;
  interagency: boolean;
  jurisdiction: GroupView['jurisdiction'];
  created_at: Date;
}

const GROUP_COLUMNS = `g.id, g.agency_id, g.name, g.interagency, g.created_at,
  ST_AsGeoJSON(g.jurisdiction)::json AS jurisdiction`;

/** Groups the agency owns or has joined as an active partner, by name. */
export async function loadVisibleGroups(
  manager: EntityManager,
  agencyId: string,
): Promise<GroupView[]> {
  const rows = (await manager.query(
    `SELECT ${GROUP_COLUMNS}
       FROM groups g
      WHERE g.agency_id = $1
         OR EXISTS (SELECT 1 FROM group_partners p
                     WHERE p.group_id = g.id AND p.agency_id = $1 AND p.status = 'active')
      ORDER BY lower(g.name), g.id`,
    [agencyId],
  )) as GroupRow[];

  return rows.map(toGroupView);
}

/** One group with its members and partners; the caller has already been allowed to see it. */
export async function loadGroupDetail(
  manager: EntityManager,
  groupId: string,
): Promise<GroupDetailView> {
  const [group] = (await manager.query(`SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.id = $1`, [
    groupId,
  ])) as GroupRow[];
  const members = (await manager.query(
    `SELECT m.user_id AS "userId", m.agency_id AS "agencyId", u.display_name AS "displayName",
            m.role, m.added_at AS "addedAt"
       FROM group_members m JOIN users u ON u.id = m.user_id
      WHERE m.group_id = $1
      ORDER BY lower(u.display_name), m.user_id`,
    [groupId],
  )) as (Omit<GroupDetailView['members'][number], 'addedAt'> & { addedAt: Date })[];
  const partners = (await manager.query(
    `SELECT p.agency_id AS "agencyId", a.name AS "agencyName", p.status
       FROM group_partners p JOIN agencies a ON a.id = p.agency_id
      WHERE p.group_id = $1
      ORDER BY lower(a.name)`,
    [groupId],
  )) as GroupDetailView['partners'];

  return {
    ...toGroupView(group),
    members: members.map((member) => ({ ...member, addedAt: member.addedAt.toISOString() })),
    partners,
  };
}

function toGroupView(row: GroupRow): GroupView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    name: row.name,
    interagency: row.interagency,
    jurisdiction: row.jurisdiction,
    createdAt: row.created_at.toISOString(),
  };
}
