import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The open alerts, newest first. The map viewport asks for the newest active alerts in a box:
 * for a city the GiST index on `extent` finds the few candidates, but for a country-sized box
 * with a million alerts that means sorting half a million rows (seconds). Walking this index
 * in order and stopping at the limit answers such a box in milliseconds; the planner chooses
 * per box. `id` is the tie-break of the list's ORDER BY.
 */
export class OpenAlertsNewestFirst1765300500000 implements MigrationInterface {
  name = 'OpenAlertsNewestFirst1765300500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // TODO: CREATE INDEX CONCURRENTLY, once migrations can run outside a transaction; this
    // blocks writes to alerts while it builds (a few seconds per million rows).
    await queryRunner.query(
      'CREATE INDEX alerts_open_sent ON alerts (sent DESC, id) WHERE cancelled_at IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX alerts_open_sent');
  }
}
