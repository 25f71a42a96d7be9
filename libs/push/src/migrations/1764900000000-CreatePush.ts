import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Web Push: the server's VAPID key pair (when not configured), devices' subscriptions,
 * each notification sent, and one delivery row per notification and device.
 */
export class CreatePush1764900000000 implements MigrationInterface {
  name = 'CreatePush1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE push_vapid_keys (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        public_key text NOT NULL,
        private_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE push_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        endpoint text NOT NULL,
        p256dh text NOT NULL,
        auth text NOT NULL,
        expires_at timestamptz,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_success_at timestamptz,
        last_failure_at timestamptz,
        success_count integer NOT NULL DEFAULT 0,
        failure_count integer NOT NULL DEFAULT 0,
        CONSTRAINT push_subscriptions_endpoint_key UNIQUE (endpoint)
      )`);
    await queryRunner.query(
      'CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id)',
    );

    await queryRunner.query(`
      CREATE TABLE push_notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_kind text NOT NULL CHECK (subject_kind IN ('alert', 'message')),
        subject_id uuid NOT NULL,
        event_id text,
        payload text NOT NULL,
        ttl_seconds integer NOT NULL CHECK (ttl_seconds >= 0),
        urgency text NOT NULL CHECK (urgency IN ('very-low', 'low', 'normal', 'high')),
        topic text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT push_notifications_event_key UNIQUE (event_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE push_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notification_id uuid NOT NULL REFERENCES push_notifications (id) ON DELETE CASCADE,
        subject_kind text NOT NULL,
        subject_id uuid NOT NULL,
        subscription_id uuid REFERENCES push_subscriptions (id) ON DELETE SET NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'retrying', 'sent', 'failed', 'removed')),
        status_code integer,
        attempts integer NOT NULL DEFAULT 0,
        enqueued_at timestamptz NOT NULL DEFAULT now(),
        accepted_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT push_deliveries_once UNIQUE (notification_id, subscription_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX push_deliveries_subject_idx ON push_deliveries (subject_kind, subject_id)',
    );
    await queryRunner.query(
      `CREATE INDEX push_deliveries_open_idx ON push_deliveries (enqueued_at)
        WHERE status IN ('pending', 'retrying')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE push_deliveries');
    await queryRunner.query('DROP TABLE push_notifications');
    await queryRunner.query('DROP TABLE push_subscriptions');
    await queryRunner.query('DROP TABLE push_vapid_keys');
  }
}
