import { GEO_LIMITS } from '@tocsin/geo';
import { UPDATE_ALERT_EXTENT } from '../alert-extent';
import { DomainError } from '@tocsin/common';
import { Injectable } from '@nestjs/common';
import type { CapAlert } from '@tocsin/cap';
import type { EntityManager } from 'typeorm';
import type { StoredCapArea } from './cap-mapping';

/** A known CAP message of an agency, and the alert it produced or changed (null: held). */
export interface KnownMessage {
  alertId: string | null;
  agencyId: string;
  /** Issued through Tocsin by that agency (not a copy of someone else's message). */
  native: boolean;
}

const NATIVE_IDENTIFIER =
  /^urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(:\d+)?$/;

/** Reads and writes of what CAP adds to alerts: messages, their history, held Cancels. */
@Injectable()
export class CapRepository {
  /** Serializes an agency's CAP imports, so two copies of one message cannot both insert. */
  async lockAgency(manager: EntityManager, agencyId: string): Promise<void> {
    await manager.query("SELECT pg_advisory_xact_lock(hashtext('cap:' || $1))", [agencyId]);
  }

  /**
   * Where a message identifier is known: in the history of imported messages, as the current
   * identifier of an alert, or as any version of a native alert (`urn:uuid:<id>[:<version>]`
   * from its sender). The agency's own first.
   */
  async find(
    manager: EntityManager,
    agencyId: string,
    sender: string,
    identifier: string,
  ): Promise<KnownMessage | undefined> {
    const nativeId = NATIVE_IDENTIFIER.exec(identifier)?.[1] ?? null;
    const rows: { alert_id: string | null; agency_id: string; native: boolean }[] =
      await manager.query(
        `SELECT alert_id, agency_id, native FROM (
           SELECT alert_id, agency_id, false AS native, 0 AS rank FROM cap_messages
            WHERE sender = $2 AND identifier = $3
           UNION ALL
           SELECT id, agency_id, cap_message IS NULL, 1 FROM alerts
            WHERE sender = $2 AND (identifier = $3 OR id = $4::uuid)) found
          ORDER BY (agency_id = $1) DESC, rank LIMIT 1`,
        [agencyId, sender, identifier, nativeId],
      );
    const row = rows[0];

    return row ? { alertId: row.alert_id, agencyId: row.agency_id, native: row.native } : undefined;
  }

  async remember(
    manager: EntityManager,
    agencyId: string,
    cap: CapAlert,
    alertId: string | null,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO cap_messages (agency_id, sender, identifier, sent, msg_type, alert_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (agency_id, sender, identifier) DO UPDATE SET alert_id = EXCLUDED.alert_id`,
      [agencyId, cap.sender, cap.identifier, cap.sent.instant, cap.msgType, alertId],
    );
  }

  /** An alert of the agency whose references name this message: it arrived after its Update. */
  async supersededBy(
    manager: EntityManager,
    agencyId: string,
    cap: CapAlert,
  ): Promise<string | undefined> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM alerts
        WHERE agency_id = $1 AND "references" @> $2::jsonb
        ORDER BY sent DESC LIMIT 1`,
      [agencyId, JSON.stringify([{ sender: cap.sender, identifier: cap.identifier }])],
    );

    return rows[0]?.id;
  }

  async storeMessage(
    manager: EntityManager,
    alertId: string,
    cap: CapAlert,
    version: number,
  ): Promise<void> {
    await manager.query('UPDATE alerts SET cap_message = $2, cap_version = $3 WHERE id = $1', [
      alertId,
      JSON.stringify(cap),
      version,
    ]);
  }

  async storedMessage(
    manager: EntityManager,
    alertId: string,
  ): Promise<{ cap: CapAlert; version: number } | undefined> {
    const rows: { cap_message: CapAlert | null; cap_version: number | null }[] =
      await manager.query('SELECT cap_message, cap_version FROM alerts WHERE id = $1', [alertId]);
    const row = rows[0];

    return row?.cap_message ? { cap: row.cap_message, version: row.cap_version ?? 0 } : undefined;
  }

  /**
   * Writes the areas of an imported alert and the alert's extent. Shapes are made valid in
   * PostGIS (real feeds carry self-touching rings); a geocode-only area has no geometry and
   * an alert with no geometry at all no extent, so viewport queries simply skip it.
   */
  async replaceAreas(
    manager: EntityManager,
    alertId: string,
    areas: StoredCapArea[],
  ): Promise<void> {
    assertVertexLimit(areas);
    await manager.query('DELETE FROM alert_areas WHERE alert_id = $1', [alertId]);
    await manager.query(
      `INSERT INTO alert_areas (alert_id, position, area_desc, geom, circle_center,
                                circle_radius_m, geocodes)
       SELECT $1, a.position, a.area_desc,
              CASE WHEN a.geom IS NULL THEN NULL ELSE ST_Multi(ST_CollectionExtract(
                ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(a.geom), 4326)), 3))::geography END,
              CASE WHEN a.radius IS NULL THEN NULL
                   ELSE ST_SetSRID(ST_MakePoint(a.lon, a.lat), 4326)::geography END,
              a.radius, coalesce(a.geocodes, '[]'::jsonb)
         FROM jsonb_to_recordset($2::jsonb) AS a(position int, area_desc text, geom text,
                                                  lon float8, lat float8, radius float8,
                                                  geocodes jsonb)`,
      [
        alertId,
        JSON.stringify(
          areas.map((area, position) => ({
            position,
            area_desc: area.areaDesc,
            geom: area.geometry ? JSON.stringify(area.geometry) : null,
            lon: area.circle?.center[0] ?? null,
            lat: area.circle?.center[1] ?? null,
            radius: area.circle?.radiusMeters ?? null,
            geocodes: area.geocodes,
          })),
        ),
      ],
    );
    await this.refuseEmptyShapes(manager, alertId);
    await manager.query(UPDATE_ALERT_EXTENT, [alertId]);
  }

  /** A polygon whose points are all on a line has no area left once made valid: refuse it. */
  private async refuseEmptyShapes(manager: EntityManager, alertId: string): Promise<void> {
    const empty: { position: number }[] = await manager.query(
      `SELECT position FROM alert_areas
        WHERE alert_id = $1 AND geom IS NOT NULL AND ST_IsEmpty(geom::geometry)
        ORDER BY position`,
      [alertId],
    );
    if (empty.length === 0) return;

    throw new DomainError(
      'invalid',
      'cap.empty_area',
      `area ${empty.map((row) => row.position).join(', ')}: the polygon encloses no area`,
      { errors: empty.map((row) => ({ element: `area[${row.position}]`, message: 'no area' })) },
    );
  }

  async holdCancel(
    manager: EntityManager,
    agencyId: string,
    cap: CapAlert,
    actorId: string | null,
    holdMinutes: number,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO cap_pending_cancels (agency_id, ref_sender, ref_identifier, message,
                                        actor_id, hold_until)
       SELECT $1, r.sender, r.identifier, $3::jsonb, $4, now() + make_interval(mins => $5)
         FROM jsonb_to_recordset($2::jsonb) AS r(sender text, identifier text)`,
      [
        agencyId,
        JSON.stringify(cap.references.map(({ sender, identifier }) => ({ sender, identifier }))),
        JSON.stringify(cap),
        actorId,
        holdMinutes,
      ],
    );
  }

  /**
   * Takes the held Cancel (if any, still within its hold) naming one of these messages, and
   * forgets every held copy of it. Expired holds are dropped on the way.
   */
  async takeHeldCancel(
    manager: EntityManager,
    agencyId: string,
    names: { sender: string; identifier: string }[],
  ): Promise<CapAlert | undefined> {
    await manager.query(
      'DELETE FROM cap_pending_cancels WHERE agency_id = $1 AND hold_until <= now()',
      [agencyId],
    );
    const rows: { message: CapAlert }[] = await manager.query(
      `SELECT p.message FROM cap_pending_cancels p
         JOIN jsonb_to_recordset($2::jsonb) AS n(sender text, identifier text)
           ON n.sender = p.ref_sender AND n.identifier = p.ref_identifier
        WHERE p.agency_id = $1
        ORDER BY p.created_at LIMIT 1`,
      [agencyId, JSON.stringify(names)],
    );
    const message = rows[0]?.message;
    if (message) {
      await manager.query(
        `DELETE FROM cap_pending_cancels
          WHERE agency_id = $1 AND message->>'sender' = $2 AND message->>'identifier' = $3`,
        [agencyId, message.sender, message.identifier],
      );
    }

    return message;
  }
}

/** The same bound on vertices as alerts sent through the API. */
function assertVertexLimit(areas: StoredCapArea[]): void {
  areas.forEach((area, position) => {
    const vertices = (area.geometry?.coordinates ?? [])
      .flat()
      .reduce((n, ring) => n + ring.length, 0);
    if (vertices > GEO_LIMITS.maxVerticesPerArea) {
      throw new DomainError(
        'invalid',
        'cap.too_many_vertices',
        `area ${position} has ${vertices} vertices; at most ${GEO_LIMITS.maxVerticesPerArea}`,
      );
    }
  });
}
