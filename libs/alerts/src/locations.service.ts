import { Injectable } from '@nestjs/common';
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

  /** Forgets the user's position: they are no longer targeted by location. */
  async forget(principal: Principal): Promise<void> {
    await this.dataSource.query('DELETE FROM responder_locations WHERE user_id = $1', [
      principal.userId,
    ]);
  }
}
