import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LiveHelpAlertView } from '@tocsin/contracts';
import { DataSource } from 'typeorm';

interface AlertRow {
  id: string;
  event: string;
  headline: string;
  severity: string;
  urgency: string;
  instruction: string | null;
  area_desc: string[];
  expires: Date;
}

/**
 * The public alert feed a visitor sees: actual, public, in effect and not cancelled, with an
 * area meeting the agency's Live Help area. Any agency's alert counts: the public cares
 * about the place, not the sender. Nothing is shown while no area is set.
 */
@Injectable()
export class PublicAlerts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async forAgency(agencyId: string): Promise<LiveHelpAlertView[]> {
    const rows = (await this.dataSource.query(
      `SELECT a.id, a.event, a.headline, a.severity, a.urgency, a.instruction, a.expires,
              ARRAY(SELECT aa.area_desc FROM alert_areas aa WHERE aa.alert_id = a.id
                     ORDER BY aa.area_desc) AS area_desc
         FROM alerts a
        WHERE a.scope = 'Public' AND a.status = 'Actual' AND a.cancelled_at IS NULL
          AND a.effective <= now() AND a.expires > now()
          AND EXISTS (SELECT 1 FROM alert_areas aa JOIN livehelp_settings s ON s.agency_id = $1
                       WHERE aa.alert_id = a.id AND ST_Intersects(aa.geom, s.area))
        ORDER BY a.sent DESC LIMIT 20`,
      [agencyId],
    )) as AlertRow[];

    return rows.map((row) => ({
      id: row.id,
      event: row.event,
      headline: row.headline,
      severity: row.severity,
      urgency: row.urgency,
      instruction: row.instruction,
      areaDesc: row.area_desc,
      expires: row.expires.toISOString(),
    }));
  }
}
