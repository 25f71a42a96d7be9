import { Injectable } from '@nestjs/common';
import type { AlertAreaView } from '@tocsin/contracts';
import type { Area } from '@tocsin/geo';
import { poolQuery } from '@tocsin/database';
import { liveSessionSql, type LiveSessionRow } from '@tocsin/identity';
import type { SignedCaller } from '@tocsin/http';
import type { EntityManager } from 'typeorm';
import { UPDATE_ALERT_EXTENT, wrappedExtentCheck } from './alert-extent';
import type { AlertRecord } from './alert-record';
import { alertViewsJson } from './alert-view-sql';

/** The columns a new alert is written with; the rest take their defaults. */
export type NewAlert = Omit<
  AlertRecord,
  | 'id'
  | 'version'
  | 'seq'
  | 'escalatedAt'
  | 'cancelledAt'
  | 'cancelReason'
  | 'createdAt'
  | 'updatedAt'
  | 'areas'
>;

const SELECT_ALERT = `
  SELECT a.id, a.agency_id, a.sender_user_id, a.identifier, a.sender, a.sent, a.status,
         a.msg_type, a.scope, a."references", a.version, a.seq, a.event, a.headline,
         a.description, a.instruction, a.category, a.severity, a.urgency, a.certainty,
         a.effective, a.onset, a.expires, a.group_ids, a.escalate_after_seconds,
         a.backup_group_id, a.escalated_at, a.cancelled_at, a.cancel_reason, a.created_at,
         a.updated_at,
         coalesce((
           SELECT json_agg(json_build_object(
                    'areaDesc', ar.area_desc,
                    'geometry', CASE WHEN ar.circle_radius_m IS NULL
                                     THEN ST_AsGeoJSON(ar.geom, 7)::json END,
                    'circle', CASE WHEN ar.circle_radius_m IS NOT NULL THEN json_build_object(
                                'center', json_build_array(ST_X(ar.circle_center::geometry),
                                                           ST_Y(ar.circle_center::geometry)),
                                'radiusMeters', ar.circle_radius_m) END,
                    'geocodes', ar.geocodes) ORDER BY ar.position)
             FROM alert_areas ar WHERE ar.alert_id = a.id), '[]') AS areas
    FROM alerts a`;

/** Every read and write of alert rows, areas and events. */
@Injectable()
export class AlertsRepository {
  /**
   * Inserts an alert with `id` when the caller chose it (to write its final identifier at
   * once), a new one otherwise.
   */
  async insert(
    manager: EntityManager,
    alert: NewAlert,
    areas: Area[],
    chosenId?: string,
  ): Promise<string> {
    const [{ id }] = await manager.query(
      `INSERT INTO alerts (id, agency_id, sender_user_id, identifier, sender, sent, status,
                           msg_type, scope, "references", event, headline, description,
                           instruction, category, severity, urgency, certainty, effective, onset,
                           expires, group_ids, escalate_after_seconds, backup_group_id)
       VALUES (coalesce($24::uuid, gen_random_uuid()), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
               $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
       RETURNING id`,
      [
        alert.agencyId,
        alert.senderUserId,
        alert.identifier,
        alert.sender,
        alert.sent,
        alert.status,
        alert.msgType,
        alert.scope,
        JSON.stringify(alert.references),
        alert.event,
        alert.headline,
        alert.description,
        alert.instruction,
        alert.category,
        alert.severity,
        alert.urgency,
        alert.certainty,
        alert.effective,
        alert.onset,
        alert.expires,
        alert.groupIds,
        alert.escalateAfterSeconds,
        alert.backupGroupId,
        chosenId ?? null,
      ],
    );
    await this.replaceAreas(manager, id, areas);

    return id;
  }

  /** Writes the areas of an alert and its extent (the box the map viewport query uses). */
  async replaceAreas(manager: EntityManager, alertId: string, areas: Area[]): Promise<void> {
    await manager.query('DELETE FROM alert_areas WHERE alert_id = $1', [alertId]);
    await manager.query(
      `INSERT INTO alert_areas (alert_id, position, area_desc, geom, circle_center,
                                circle_radius_m)
       SELECT $1, a.position, a.area_desc, ST_GeomFromGeoJSON(a.geom)::geography,
              CASE WHEN a.radius IS NULL THEN NULL
                   ELSE ST_SetSRID(ST_MakePoint(a.lon, a.lat), 4326)::geography END,
              a.radius
         FROM jsonb_to_recordset($2::jsonb)
              AS a(position int, area_desc text, geom text, lon float8, lat float8, radius float8)`,
      [
        alertId,
        JSON.stringify(
          areas.map((area, position) => ({
            position,
            area_desc: area.areaDesc,
            geom: JSON.stringify(area.geometry),
            lon: area.circle?.center[0] ?? null,
            lat: area.circle?.center[1] ?? null,
            radius: area.circle?.radiusMeters ?? null,
          })),
        ),
      ],
    );
    await manager.query(UPDATE_ALERT_EXTENT, [alertId]);
  }

  async findById(manager: EntityManager, id: string): Promise<AlertRecord | undefined> {
    const rows = await manager.query(`${SELECT_ALERT} WHERE a.id = $1`, [id]);

    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Locks the row for the rest of the transaction, so versions and seqs advance one by one. */
  async lock(manager: EntityManager, id: string): Promise<void> {
    await manager.query('SELECT 1 FROM alerts WHERE id = $1 FOR UPDATE', [id]);
  }

  async update(
    manager: EntityManager,
    id: string,
    changes: Record<string, unknown>,
  ): Promise<void> {
    const columns = Object.keys(changes);
    const assignments = columns.map((column, index) => `"${column}" = $${index + 2}`);
    await manager.query(
      `UPDATE alerts SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1`,
      [id, ...columns.map((column) => changes[column])],
    );
  }

  /** Appends the event that clients replay from; `payload` is the alert view at that seq. */
  async appendEvent(
    manager: EntityManager,
    alertId: string,
    seq: number,
    name: string,
    payload: unknown,
  ): Promise<void> {
    await manager.query(
      'INSERT INTO alert_events (alert_id, seq, name, payload) VALUES ($1, $2, $3, $4)',
      [alertId, seq, name, JSON.stringify(payload)],
    );
  }

  async event(
    manager: EntityManager,
    alertId: string,
    seq: number,
  ): Promise<{ name: string; payload: unknown } | undefined> {
    const rows = await manager.query(
      'SELECT name, payload FROM alert_events WHERE alert_id = $1 AND seq = $2',
      [alertId, seq],
    );

    return rows[0];
  }

  /**
   * Alerts visible to a user (sent by their agency, or received), optionally in a box, newest
   * first, as the JSON text of their views (an array) built by PostgreSQL: the map viewport
   * asks this many times a second, and the API sends the text as it comes.
   */
  async listViews(manager: EntityManager, filter: ListFilter): Promise<string> {
    // Planned on every call, never prepared: a generic plan would pick one path for every box,
    // and at 1M alerts a city box needs the GiST index while a country box needs the walk of
    // alerts_open_sent (newest first, stopping at the limit); seconds either way if wrong.
    const where = listConditions('$1', filter);
    const [{ body }] = await manager.query(
      alertViewsJson(where, '$3'),
      listParams(filter.agencyId, filter),
    );

    return body;
  }

  /**
   * {@link listViews} for the caller a token names, with the check of their session in the
   * same statement (one round trip, one snapshot): no row when the session is not live; a
   * null body while the user must change their password (the list is not built).
   */
  async listViewsOfSession(
    manager: EntityManager,
    caller: SignedCaller,
    filter: SessionListFilter,
  ): Promise<SessionList | undefined> {
    const conditions = { ...filter, userId: caller.userId };
    // Planned per call like listViews; the agency is the live row's, known once it is read.
    const rows = await poolQuery<SessionList>(
      manager,
      sessionListText(conditions),
      listParams(caller.sessionId, conditions),
    );

    return rows[0];
  }
}

export type SessionList = LiveSessionRow & { body: string | null };

export interface SessionListFilter {
  bbox?: { west: number; south: number; east: number; north: number };
  state?: 'active' | 'cancelled' | 'expired';
  limit: number;
}

export interface ListFilter extends SessionListFilter {
  agencyId: string;
  userId: string;
}

interface ListConditions extends SessionListFilter {
  userId: string;
}

/** The list-with-session texts by shape (box or not, state): eight at most, built once each. */
const sessionListTexts = new Map<string, string>();

function sessionListText(filter: ListConditions): string {
  const shape = `${filter.bbox ? 'box' : 'all'}:${filter.state ?? ''}`;
  let text = sessionListTexts.get(shape);
  if (text === undefined) {
    const list = alertViewsJson(listConditions('live.agency_id', filter), '$3');
    text = `SELECT live.*, CASE WHEN live.must_change_password THEN NULL ELSE (${list}) END AS body
              FROM (${liveSessionSql('$1::uuid', '$2::uuid')}) live`;
    sessionListTexts.set(shape, text);
  }

  return text;
}

/** A list's values: $1 `first` (agency or session), $2 the user, $3 the limit, then the box. */
function listParams(first: unknown, filter: ListConditions): unknown[] {
  const params: unknown[] = [first, filter.userId, filter.limit];
  if (filter.bbox) {
    params.push(filter.bbox.west, filter.bbox.south, filter.bbox.east, filter.bbox.north);
  }

  return params;
}

/**
 * The conditions of a list over the values of {@link listParams}; `agency` is the SQL for the
 * caller's agency ($1 itself, or a column of the live session).
 */
function listConditions(agency: string, filter: ListConditions): string {
  const where = [
    `(a.agency_id = ${agency} OR EXISTS (
        SELECT 1 FROM alert_recipients r WHERE r.alert_id = a.id AND r.user_id = $2))`,
  ];
  if (filter.bbox) where.push(bboxCondition(7));
  if (filter.state === 'active') where.push('a.cancelled_at IS NULL AND a.expires > now()');
  if (filter.state === 'cancelled') where.push('a.cancelled_at IS NOT NULL');
  if (filter.state === 'expired') where.push('a.cancelled_at IS NULL AND a.expires <= now()');

  return where.join(' AND ');
}

/** Active alerts of every agency with scope Public (never Draft): the public feed. */
export async function listPublicActive(
  manager: EntityManager,
  limit: number,
): Promise<AlertRecord[]> {
  const rows = await manager.query(
    `${SELECT_ALERT}
      WHERE a.scope = 'Public' AND a.status <> 'Draft'
        AND a.cancelled_at IS NULL AND a.expires > now()
      ORDER BY a.sent DESC LIMIT $1`,
    [limit],
  );

  return rows.map(toRecord);
}

/**
 * A viewport with west > east crosses the antimeridian: it is two boxes, west..180 and
 * -180..east; otherwise both boxes are the viewport. Always two `&&` tests on the extent,
 * no CASE around them, so that the planner sees an indexable condition whatever the box;
 * then the exact test of the few alerts whose extent wraps the globe.
 */
function bboxCondition(last: number): string {
  const [w, s, e, n] = [last - 3, last - 2, last - 1, last].map((i) => `$${i}::float8`);
  const crosses = `${w} > ${e}`;

  return `(a.extent && ST_MakeEnvelope(${w}, ${s},
             CASE WHEN ${crosses} THEN 180 ELSE ${e} END, ${n}, 4326)
           OR a.extent && ST_MakeEnvelope(CASE WHEN ${crosses} THEN -180 ELSE ${w} END, ${s},
             ${e}, ${n}, 4326))
          AND ${wrappedExtentCheck(w, s, e, n)}`;
}

function toRecord(row: Record<string, unknown>): AlertRecord {
  return {
    id: row.id as string,
    agencyId: row.agency_id as string,
    senderUserId: (row.sender_user_id as string | null) ?? null,
    identifier: row.identifier as string,
    sender: row.sender as string,
    sent: row.sent as Date,
    status: row.status as AlertRecord['status'],
    msgType: row.msg_type as AlertRecord['msgType'],
    scope: row.scope as AlertRecord['scope'],
    references: row.references as AlertRecord['references'],
    version: row.version as number,
    seq: row.seq as number,
    event: row.event as string,
    headline: row.headline as string,
    description: row.description as string | null,
    instruction: row.instruction as string | null,
    category: row.category as AlertRecord['category'],
    severity: row.severity as AlertRecord['severity'],
    urgency: row.urgency as AlertRecord['urgency'],
    certainty: row.certainty as AlertRecord['certainty'],
    effective: row.effective as Date,
    onset: row.onset as Date | null,
    expires: row.expires as Date,
    groupIds: row.group_ids as string[],
    escalateAfterSeconds: row.escalate_after_seconds as number | null,
    backupGroupId: row.backup_group_id as string | null,
    escalatedAt: row.escalated_at as Date | null,
    cancelledAt: row.cancelled_at as Date | null,
    cancelReason: row.cancel_reason as string | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
    areas: (row.areas as AlertAreaView[]).map(cleanArea),
  };
}

function cleanArea(area: AlertAreaView): AlertAreaView {
  const clean: AlertAreaView = { areaDesc: area.areaDesc, geometry: area.geometry ?? null };
  if (area.circle) clean.circle = area.circle;
  if (area.geocodes && area.geocodes.length > 0) clean.geocodes = area.geocodes;

  return clean;
}
