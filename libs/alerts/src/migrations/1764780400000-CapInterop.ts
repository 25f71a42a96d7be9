import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CAP interoperability: the CAP message an imported alert last applied (every info block,
 * every area as received), the history of every CAP message identifier imported per agency,
 * and Cancels held until their original arrives. The uniqueness of (sender, identifier)
 * becomes per agency, so two agencies may import the same public warning.
 */
export class CapInterop1764780400000 implements MigrationInterface {
  name = 'CapInterop1764780400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE alerts
        ADD COLUMN cap_message jsonb,
        ADD COLUMN cap_version int`);
    await queryRunner.query('DROP INDEX alerts_sender_identifier');
    await queryRunner.query(
      `CREATE UNIQUE INDEX alerts_agency_sender_identifier
         ON alerts (agency_id, sender, identifier)`,
    );

    await queryRunner.query(`
      CREATE TABLE cap_messages (
        agency_id uuid NOT NULL REFERENCES agencies (id),
        sender text NOT NULL,
        identifier text NOT NULL,
        sent timestamptz NOT NULL,
        msg_type text NOT NULL,
        alert_id uuid REFERENCES alerts (id) ON DELETE CASCADE,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (agency_id, sender, identifier)
      )`);
    await queryRunner.query('CREATE INDEX cap_messages_alert ON cap_messages (alert_id)');

    await queryRunner.query(`
      CREATE TABLE cap_pending_cancels (
        id bigserial PRIMARY KEY,
        agency_id uuid NOT NULL REFERENCES agencies (id),
        ref_sender text NOT NULL,
        ref_identifier text NOT NULL,
        message jsonb NOT NULL,
        actor_id uuid REFERENCES users (id),
        hold_until timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX cap_pending_cancels_ref
         ON cap_pending_cancels (agency_id, ref_sender, ref_identifier)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE cap_pending_cancels');
    await queryRunner.query('DROP TABLE cap_messages');
    await queryRunner.query('DROP INDEX alerts_agency_sender_identifier');
    await queryRunner.query(
      'CREATE UNIQUE INDEX alerts_sender_identifier ON alerts (sender, identifier)',
    );
    await queryRunner.query('ALTER TABLE alerts DROP COLUMN cap_message, DROP COLUMN cap_version');
  }
}
