import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAlerts1764780300000 implements MigrationInterface {
  name = 'CreateAlerts1764780300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        sender_user_id uuid REFERENCES users (id),
        identifier text NOT NULL,
        sender text NOT NULL,
        sent timestamptz NOT NULL,
        status text NOT NULL,
        msg_type text NOT NULL,
        scope text NOT NULL,
        "references" jsonb NOT NULL DEFAULT '[]',
        version int NOT NULL DEFAULT 1,
        seq int NOT NULL DEFAULT 1,
        event text NOT NULL,
        headline text NOT NULL,
        description text,
        instruction text,
        category text[] NOT NULL DEFAULT '{}',
        severity text NOT NULL,
        urgency text NOT NULL,
        certainty text NOT NULL,
        effective timestamptz NOT NULL,
        onset timestamptz,
        expires timestamptz NOT NULL,
        group_ids uuid[] NOT NULL DEFAULT '{}',
        escalate_after_seconds int,
        backup_group_id uuid,
        escalated_at timestamptz,
        cancelled_at timestamptz,
        extent geometry(Polygon, 4326),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT alerts_expires_after_sent CHECK (expires > sent)
      )`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX alerts_sender_identifier ON alerts (sender, identifier)',
    );
    await queryRunner.query('CREATE INDEX alerts_agency_sent ON alerts (agency_id, sent DESC)');
    await queryRunner.query('CREATE INDEX alerts_extent ON alerts USING gist (extent)');
    await queryRunner.query(
      'CREATE INDEX alerts_open ON alerts (expires) WHERE cancelled_at IS NULL',
    );

    await queryRunner.query(`
      CREATE TABLE alert_areas (
        id bigserial PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        position int NOT NULL,
        area_desc text NOT NULL,
        geom geography(MultiPolygon, 4326),
        circle_center geography(Point, 4326),
        circle_radius_m double precision,
        geocodes jsonb NOT NULL DEFAULT '[]'
      )`);
    await queryRunner.query('CREATE INDEX alert_areas_alert ON alert_areas (alert_id)');
    await queryRunner.query('CREATE INDEX alert_areas_geom ON alert_areas USING gist (geom)');

    await queryRunner.query(`
      CREATE TABLE alert_events (
        alert_id uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        seq int NOT NULL,
        name text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (alert_id, seq)
      )`);

    await queryRunner.query(`
      CREATE TABLE alert_recipients (
        alert_id uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id),
        reasons text[] NOT NULL,
        via_group_ids uuid[] NOT NULL DEFAULT '{}',
        joined_seq int NOT NULL DEFAULT 1,
        acked_seq int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        pushed_at timestamptz,
        seen_at timestamptz,
        response text CHECK (response IN ('acknowledged', 'responding', 'on_scene', 'unavailable')),
        eta_minutes int,
        responded_at timestamptz,
        escalated_at timestamptz,
        PRIMARY KEY (alert_id, user_id)
      )`);
    await queryRunner.query('CREATE INDEX alert_recipients_user ON alert_recipients (user_id)');

    await queryRunner.query(`
      CREATE TABLE responder_locations (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        position geography(Point, 4326) NOT NULL,
        accuracy_m double precision NOT NULL,
        reported_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE INDEX responder_locations_position ON responder_locations USING gist (position)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE responder_locations');
    await queryRunner.query('DROP TABLE alert_recipients');
    await queryRunner.query('DROP TABLE alert_events');
    await queryRunner.query('DROP TABLE alert_areas');
    await queryRunner.query('DROP TABLE alerts');
  }
}
