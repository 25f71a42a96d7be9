/**
 * The AlertView of `toAlertView` (alert-record.ts), built by PostgreSQL as compact JSON text
 * for the list route: the rows never become JavaScript objects, so the API sends the text
 * as it comes. `row_to_json` writes no spaces; keys are the quoted column aliases, in the
 * order of `toAlertView`. test/alerts/list-views.spec.ts holds the two to the same result.
 */

/** A timestamptz as `Date.prototype.toISOString` writes it (milliseconds, truncated, UTC). */
function iso(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The geocodes of an area, compact (jsonb would print spaces): `[{valueName, value}]`. */
const GEOCODES_JSON = `(
  SELECT '[' || string_agg((SELECT row_to_json(g)::text
                              FROM (SELECT e.code->>'valueName' AS "valueName",
                                           e.code->>'value' AS value) g),
                           ',' ORDER BY e.n) || ']'
    FROM jsonb_array_elements(ar.geocodes) WITH ORDINALITY AS e(code, n))`;

/**
 * One area as `cleanArea` shapes it: `geometry` is null for a circle, `circle` only for a
 * circle, `geocodes` only when there are some. Text is concatenated because `json_build_object`
 * cannot leave a key out.
 */
const AREA_JSON = `
  '{"areaDesc":' || to_json(ar.area_desc)::text
  || ',"geometry":' || CASE WHEN ar.circle_radius_m IS NULL
                            THEN coalesce(ST_AsGeoJSON(ar.geom, 7), 'null') ELSE 'null' END
  || CASE WHEN ar.circle_radius_m IS NULL THEN ''
          ELSE ',"circle":{"center":[' || ST_X(ar.circle_center::geometry)
               || ',' || ST_Y(ar.circle_center::geometry)
               || '],"radiusMeters":' || ar.circle_radius_m || '}' END
  || CASE WHEN jsonb_typeof(ar.geocodes) = 'array' AND jsonb_array_length(ar.geocodes) > 0
          THEN ',"geocodes":' || ${GEOCODES_JSON} ELSE '' END
  || '}'`;

const STATE = `CASE WHEN a.cancelled_at IS NOT NULL THEN 'cancelled'
                    WHEN a.expires <= now() THEN 'expired' ELSE 'active' END`;

const ESCALATION = `CASE WHEN a.escalate_after_seconds IS NOT NULL THEN (
    SELECT row_to_json(e) FROM (
      SELECT a.escalate_after_seconds AS "afterSeconds", a.backup_group_id AS "backupGroupId",
             ${iso('a.escalated_at')} AS "escalatedAt") e) END`;

/** The columns of one AlertView, from `alerts a`. */
const VIEW_COLUMNS = `
  a.id, a.agency_id AS "agencyId", a.identifier, a.sender, ${iso('a.sent')} AS sent,
  a.status, a.msg_type AS "msgType", a.scope, ${STATE} AS state,
  a.cancel_reason AS "cancelReason", a.version, a.seq, a.event,
  a.headline, a.description, a.instruction, a.category, a.severity, a.urgency, a.certainty,
  ${iso('a.effective')} AS effective, ${iso('a.onset')} AS onset,
  ${iso('a.expires')} AS expires,
  coalesce((SELECT '[' || string_agg(${AREA_JSON}, ',' ORDER BY ar.position) || ']'
              FROM alert_areas ar WHERE ar.alert_id = a.id), '[]')::json AS areas,
  a.group_ids AS "groupIds", ${ESCALATION} AS escalation,
  ${iso('a.created_at')} AS "createdAt", ${iso('a.updated_at')} AS "updatedAt"`;

/**
 * A JSON array of the views of the alerts `where` selects, newest first, at most `limit`
 * (a parameter reference such as `$3`), as one text value named `body`.
 */
export function alertViewsJson(where: string, limit: string): string {
  return `
    SELECT coalesce('[' || string_agg(v.json, ',' ORDER BY v.sent DESC, v.id) || ']', '[]')
             AS body
      FROM (SELECT a.sent, a.id,
                   (SELECT row_to_json(r)::text FROM (SELECT ${VIEW_COLUMNS}) r) AS json
              FROM alerts a
             WHERE ${where}
             ORDER BY a.sent DESC, a.id
             LIMIT ${limit}) v`;
}
