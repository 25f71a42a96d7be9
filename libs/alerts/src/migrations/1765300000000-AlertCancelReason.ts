import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why an alert was cancelled, as the dispatcher gave it (or the note of an imported CAP
 * Cancel): shown with the alert, carried by `alert.cancelled` and exported as the CAP note.
 * Alerts cancelled before this column existed keep their reason in the audit log only.
 */
export class AlertCancelReason1765300000000 implements MigrationInterface {
  name = 'AlertCancelReason1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE alerts ADD COLUMN cancel_reason text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE alerts DROP COLUMN cancel_reason');
  }
}
