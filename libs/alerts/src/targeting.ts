import type { TargetReason } from '@tocsin/contracts';
import type { Area } from '@tocsin/geo';
import { preparedQuery } from '@tocsin/database';
import type { EntityManager } from 'typeorm';

export interface TargetRow {
  userId: string;
  displayName: string;
  reasons: TargetReason[];
  viaGroupIds: string[];
}

export interface TargetQuery {
  agencyId: string;
  groupIds: string[];
  /** Responder positions older than this are ignored. */
  locationMaxAgeSeconds: number;
  /**
   * Rows by display name, then user id (the default): the preview lists them so, and a new
   * alert's fan-out writes its sockets in that order. False where nobody reads the order.
   */
  byName?: boolean;
}

/** resolveTargets reads the lists as comma-separated text: parsing arrays cost more. */
interface TargetTextRow {
  user_id: string;
  display_name: string;
  reasons: string;
  group_ids: string;
}

/**
 * `arrays` (text[] and uuid[]) for an INSERT … SELECT that stores them as they are; `text`
 * (comma-separated) for rows read into Node, where pg's array parser took about a
 * microsecond a row, as long as the rest of the row's work.
 */
type ListForm = 'arrays' | 'text';

/** Areas as the query reads them: stored rows of an alert, or areas not yet stored (preview). */
type AreaSource = { alertId: string } | { areas: Area[] };

/**
 * Resolves an alert's recipients in one PostGIS query: members of the chosen groups, users
 * of the sending agency whose fresh position lies in an area (a circle by exact distance),
 * and members of the groups (owned or joined by the agency) whose jurisdiction meets an
 * area. Disabled users are never targeted. Each user comes back once, with every reason.
 */
export async function resolveTargets(
  manager: EntityManager,
  source: AreaSource,
  query: TargetQuery,
): Promise<TargetRow[]> {
  const { text, params } = targetsQuery(source, query, 'text');
  // Prepared: its plan does not hang on the values (the area is read from a table or from
  // JSON at run time), and planning this statement costs more than running it for a small area.
  const rows = await preparedQuery<TargetTextRow>(manager, text, params);

  return rows.map((row) => ({
    userId: row.user_id,
    displayName: row.display_name,
    reasons: listOf(row.reasons) as TargetReason[],
    viaGroupIds: listOf(row.group_ids),
  }));
}

const listOf = (text: string): string[] => (text === '' ? [] : text.split(','));

/** A statement and its parameters; more parameters may follow `params.length`. */
export interface TargetsStatement {
  text: string;
  params: unknown[];
}

/**
 * The targeting query itself, whose rows are `user_id`, `display_name`, `reasons` (text[])
 * and `group_ids` (uuid[]): read by resolveTargets, and nested as it is in an INSERT … SELECT
 * so that a new alert's recipients are stored without crossing into Node (RecipientsRepository).
 */
export function targetsQuery(
  source: AreaSource,
  query: TargetQuery,
  form: ListForm = 'arrays',
): TargetsStatement {
  const [areasSql, areasParam] =
    'alertId' in source
      ? [
          `SELECT geom, circle_center, circle_radius_m FROM alert_areas WHERE alert_id = $1::uuid`,
          source.alertId,
        ]
      : [
          `SELECT ST_GeomFromGeoJSON(a.geom)::geography AS geom,
                  ST_SetSRID(ST_MakePoint(a.lon, a.lat), 4326)::geography AS circle_center,
                  a.radius AS circle_radius_m
             FROM jsonb_to_recordset($1::jsonb) AS a(geom text, lon float8, lat float8, radius float8)`,
          JSON.stringify(source.areas.map(areaRecord)),
        ];

  return {
    text: `WITH area AS (${areasSql}),
       visible_groups AS (
         SELECT g.id FROM groups g WHERE g.agency_id = $2::uuid
         UNION
         SELECT ga.group_id FROM group_partners ga
          WHERE ga.agency_id = $2::uuid AND ga.status = 'active'),
       by_group AS (
         SELECT gm.user_id, 'group'::text AS reason, gm.group_id
           FROM group_members gm
          WHERE gm.group_id = ANY($3::uuid[]) AND gm.group_id IN (SELECT id FROM visible_groups)),
       -- Circles and polygons are two joins, each on the position index (a CASE would hide
       -- the spatial predicate from the planner and test every position). A user found twice
       -- (overlapping areas) is merged below, so no UNION pass of its own.
       by_location AS (
         SELECT rl.user_id, 'location'::text AS reason, NULL::uuid AS group_id
           FROM area a
           JOIN responder_locations rl
             ON ST_DWithin(rl.position, a.circle_center, a.circle_radius_m)
          WHERE a.circle_radius_m IS NOT NULL
            AND rl.reported_at > now() - make_interval(secs => $4)
         UNION ALL
         SELECT rl.user_id, 'location'::text AS reason, NULL::uuid AS group_id
           FROM area a
           JOIN responder_locations rl ON ST_Intersects(a.geom, rl.position)
          WHERE a.circle_radius_m IS NULL
            AND rl.reported_at > now() - make_interval(secs => $4)),
       by_jurisdiction AS (
         SELECT gm.user_id, 'jurisdiction'::text AS reason, g.id AS group_id
           FROM groups g
           JOIN group_members gm ON gm.group_id = g.id
          WHERE g.id IN (SELECT id FROM visible_groups) AND g.jurisdiction IS NOT NULL
            AND EXISTS (SELECT 1 FROM area a WHERE ST_Intersects(a.geom, g.jurisdiction))),
       others AS (SELECT * FROM by_group UNION ALL SELECT * FROM by_jurisdiction),
       -- One area and no group reason, the usual alert to whoever is there: a position is a
       -- user (one row each) found once, so there is nothing to merge. The branch not taken is
       -- skipped whole (a one-time filter), and with it the sort that merging costs.
       alone AS (
         SELECT (SELECT count(*) FROM area) = 1 AND NOT EXISTS (SELECT 1 FROM others) AS yes),
       -- Otherwise each user's reasons are merged before the users join, with plain aggregates:
       -- a DISTINCT or ORDER BY inside an aggregate sorts every group apart. Whether a position
       -- counts (the sender's agency only) is known after the join.
       merged AS (
         SELECT l.user_id, false AS by_group, false AS by_jurisdiction, true AS by_location,
                NULL::uuid[] AS group_ids
           FROM by_location l
          WHERE (SELECT yes FROM alone)
         UNION ALL
         SELECT t.user_id,
                bool_or(t.reason = 'group') AS by_group,
                bool_or(t.reason = 'jurisdiction') AS by_jurisdiction,
                bool_or(t.reason = 'location') AS by_location,
                array_agg(t.group_id) FILTER (WHERE t.group_id IS NOT NULL) AS group_ids
           FROM (SELECT * FROM others UNION ALL SELECT * FROM by_location) t
          WHERE NOT (SELECT yes FROM alone)
          GROUP BY t.user_id)
       SELECT m.user_id, u.display_name,
              -- In name order, as the reasons were always listed.
              ${listSql(
                form,
                `ARRAY[CASE WHEN m.by_group THEN 'group' END,
                       CASE WHEN m.by_jurisdiction THEN 'jurisdiction' END,
                       CASE WHEN m.by_location AND u.agency_id = $2::uuid THEN 'location' END]`,
              )} AS reasons,
              -- A group found both ways is listed once; most users have no group at all.
              ${listSql(
                form,
                `CASE WHEN m.group_ids IS NULL THEN '{}'::uuid[]
                      ELSE ARRAY(SELECT DISTINCT g FROM unnest(m.group_ids) g ORDER BY g) END`,
              )} AS group_ids
         FROM merged m JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
        WHERE m.by_group OR m.by_jurisdiction OR u.agency_id = $2::uuid
        ${query.byName === false ? '' : 'ORDER BY u.display_name, m.user_id'}`,
    params: [areasParam, query.agencyId, query.groupIds, query.locationMaxAgeSeconds],
  };
}

/** An array expression (NULLs dropped) in the form asked for. */
function listSql(form: ListForm, array: string): string {
  return form === 'text' ? `array_to_string(${array}, ',')` : `array_remove(${array}, NULL)`;
}

/** Members of one group, for the backup group of an escalation. */
export async function groupMemberIds(manager: EntityManager, groupId: string): Promise<string[]> {
  const rows: { user_id: string }[] = await manager.query(
    `SELECT gm.user_id FROM group_members gm JOIN users u ON u.id = gm.user_id
      WHERE gm.group_id = $1 AND u.disabled_at IS NULL`,
    [groupId],
  );

  return rows.map((row) => row.user_id);
}

export function areaRecord(area: Area) {
  return {
    geom: JSON.stringify(area.geometry),
    lon: area.circle?.center[0] ?? null,
    lat: area.circle?.center[1] ?? null,
    radius: area.circle?.radiusMeters ?? null,
  };
}
