import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMessaging1765100000000 implements MigrationInterface {
  name = 'CreateMessaging1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE messaging_policies (
        agency_id uuid PRIMARY KEY REFERENCES agencies (id) ON DELETE CASCADE,
        allow_direct boolean NOT NULL DEFAULT true,
        allow_interagency boolean NOT NULL DEFAULT true,
        new_members_see_history boolean NOT NULL DEFAULT true,
        retention_days int CHECK (retention_days IS NULL OR retention_days >= 1),
        updated_by uuid REFERENCES users (id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE conversations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('group', 'incident', 'direct', 'interagency')),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        title text,
        group_id uuid REFERENCES groups (id) ON DELETE SET NULL,
        alert_id uuid REFERENCES alerts (id) ON DELETE SET NULL,
        direct_key text,
        last_seq bigint NOT NULL DEFAULT 0,
        last_rev bigint NOT NULL DEFAULT 0,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX conversations_group ON conversations (group_id)
        WHERE kind = 'group' AND group_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX conversations_alert ON conversations (alert_id)
        WHERE alert_id IS NOT NULL`,
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX conversations_direct ON conversations (direct_key) WHERE direct_key IS NOT NULL',
    );
    await queryRunner.query('CREATE INDEX conversations_agency ON conversations (agency_id)');

    // One row per member; a member sees seqs from visible_from_seq up to left_seq (if left).
    await queryRunner.query(`
      CREATE TABLE conversation_members (
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        joined_seq bigint NOT NULL,
        visible_from_seq bigint NOT NULL,
        left_seq bigint,
        delivered_seq bigint NOT NULL DEFAULT 0,
        read_seq bigint NOT NULL DEFAULT 0,
        joined_at timestamptz NOT NULL DEFAULT now(),
        left_at timestamptz,
        PRIMARY KEY (conversation_id, user_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX conversation_members_user ON conversation_members (user_id) WHERE left_seq IS NULL',
    );
    await queryRunner.query(
      'CREATE INDEX conversation_members_agency ON conversation_members (agency_id, conversation_id)',
    );

    await queryRunner.query(`
      CREATE TABLE conversation_holds (
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        agency_id uuid NOT NULL REFERENCES agencies (id),
        reason text,
        set_by uuid REFERENCES users (id),
        set_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (conversation_id, agency_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        rev bigint NOT NULL,
        created_rev bigint NOT NULL,
        sender_id uuid REFERENCES users (id),
        sender_agency_id uuid NOT NULL REFERENCES agencies (id),
        client_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('text', 'location')),
        body text,
        location jsonb,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        edited_at timestamptz,
        deleted_at timestamptz,
        CONSTRAINT messages_seq UNIQUE (conversation_id, seq),
        CONSTRAINT messages_client_id UNIQUE (conversation_id, sender_id, client_id)
      )`);
    await queryRunner.query('CREATE INDEX messages_rev ON messages (conversation_id, rev)');
    await queryRunner.query(
      'CREATE INDEX messages_retention ON messages (sender_agency_id, created_at)',
    );

    // Every version of every message, for the archive: the text as sent, each edit, deletions.
    await queryRunner.query(`
      CREATE TABLE message_versions (
        message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        version int NOT NULL,
        action text NOT NULL CHECK (action IN ('created', 'edited', 'deleted')),
        body text,
        location jsonb,
        actor_id uuid REFERENCES users (id),
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (message_id, version)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE message_versions');
    await queryRunner.query('DROP TABLE messages');
    await queryRunner.query('DROP TABLE conversation_holds');
    await queryRunner.query('DROP TABLE conversation_members');
    await queryRunner.query('DROP TABLE conversations');
    await queryRunner.query('DROP TABLE messaging_policies');
  }
}
