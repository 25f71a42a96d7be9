import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@tocsin/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import type { ResponderPositionView } from '@tocsin/contracts';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from '@tocsin/http';
import { OutboxService, type OutboxEntry } from '@tocsin/outbox';
import { DataSource } from 'typeorm';
import { ALERT_EVENT_TOPIC, type AlertEventMessage } from './alert-events';
import type { LocationDto } from './dto/location.dto';

/**
 * Responders' last positions (opt-in: a device reports only when its user allows it). A
 * position inside an active alert of the user's agency makes them a recipient at once.
 */
@Injectable()
export class LocationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  async report(principal: Principal, dto: LocationDto): Promise<{ newAlerts: number }> {
    const entries = await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO responder_locations (user_id, position, accuracy_m, reported_at)
         VALUES ($1, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, $4, now())
         ON CONFLICT (user_id) DO UPDATE
            SET position = EXCLUDED.position, accuracy_m = EXCLUDED.accuracy_m,
                reported_at = EXCLUDED.reported_at`,
        [principal.userId, dto.lon, dto.lat, dto.accuracy],
      );

      const entered: { alert_id: string; seq: number }[] = await manager.query(
        `INSERT INTO alert_recipients (alert_id, user_id, reasons, joined_seq)
         SELECT a.id, $1, ARRAY['location'], a.seq
           FROM alerts a
          WHERE a.agency_id = $2 AND a.cancelled_at IS NULL AND a.expires > now()
            AND EXISTS (
              SELECT 1 FROM alert_areas ar, responder_locations rl
               WHERE ar.alert_id = a.id AND rl.user_id = $1
                 AND CASE WHEN ar.circle_radius_m IS NOT NULL
                          THEN ST_DWithin(rl.position, ar.circle_center, ar.circle_radius_m)
                          ELSE ST_Intersects(ar.geom, rl.position) END)
         ON CONFLICT (alert_id, user_id) DO NOTHING
         RETURNING alert_id, joined_seq AS seq`,
        [principal.userId, principal.agencyId],
      );

      const added: OutboxEntry[] = [];
      for (const row of entered) {
        const message: AlertEventMessage = {
          alertId: row.alert_id,
          seq: row.seq,
          userIds: [principal.userId],
        };
        added.push(await this.outbox.add(manager, ALERT_EVENT_TOPIC, message));
      }

      return added;
    });
    await this.outbox.dispatch(entries);

    return { newAlerts: entries.length };
  }

  /**
   * The fresh positions of the agency's users, for its admins, dispatchers and observers (the
   * map of who is where). Positions older than the targeting age are left out.
   */
  async positionsForStaff(principal: Principal): Promise<ResponderPositionView[]> {
    if (!['admin', 'dispatcher', 'observer'].includes(principal.role)) {
      throw new DomainError(
        'forbidden',
        'location.staff_only',
        "only the agency's staff see positions",
      );
    }
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT u.id, u.display_name, u.role, ST_Y(rl.position::geometry) AS lat,
              ST_X(rl.position::geometry) AS lon, rl.accuracy_m, rl.reported_at
         FROM responder_locations rl JOIN users u ON u.id = rl.user_id
        WHERE u.agency_id = $1 AND u.disabled_at IS NULL
          AND rl.reported_at > now() - make_interval(mins => $2)
        ORDER BY u.display_name, u.id`,
      [principal.agencyId, this.config.alerts.locationMaxAgeMinutes],
    );

    return rows.map((row) => ({
      userId: row.id as string,
      displayName: row.display_name as string,
      role: row.role as string,
      lat: row.lat as number,
      lon: row.lon as number,
      accuracy: row.accuracy_m as number,
      reportedAt: (row.reported_at as Date).toISOString(),
    }));
  }

  /** Forgets the user's position: they are no longer targeted by location. */
  async forget(principal: Principal): Promise<void> {
    await this.dataSource.query('DELETE FROM responder_locations WHERE user_id = $1', [
      principal.userId,
    ]);
  }
}
