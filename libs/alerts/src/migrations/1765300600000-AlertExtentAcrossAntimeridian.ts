import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recomputes every alert's extent the way `UPDATE_ALERT_EXTENT` now does (densified arcs; a
 * box wider than 180° becomes its whole latitude band). The old extents put an area across
 * the antimeridian on the wrong side of the globe, so the map missed it. Down leaves the new
 * extents: they are supersets of the old ones, which the old query reads correctly.
 */
export class AlertExtentAcrossAntimeridian1765300600000 implements MigrationInterface {
  name = 'AlertExtentAcrossAntimeridian1765300600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE alerts a
         SET extent = CASE WHEN ST_XMax(b.box) - ST_XMin(b.box) > 180
                           THEN ST_MakeEnvelope(-180, ST_YMin(b.box), 180, ST_YMax(b.box), 4326)
                           ELSE b.box END
        FROM (SELECT alert_id,
                     ST_Envelope(ST_Expand(ST_Collect(ST_Segmentize(geom, 10000)::geometry),
                                           1e-9)) AS box
                FROM alert_areas WHERE geom IS NOT NULL GROUP BY alert_id) b
       WHERE b.alert_id = a.id`);
  }

  async down(): Promise<void> {
    // Nothing to undo: see above.
  }
}
