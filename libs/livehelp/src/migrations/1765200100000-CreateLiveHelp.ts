import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLiveHelp1765200100000 implements MigrationInterface {
  name = 'CreateLiveHelp1765200100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE livehelp_settings (
        agency_id uuid PRIMARY KEY REFERENCES agencies (id) ON DELETE CASCADE,
        allowed_origins text[] NOT NULL DEFAULT '{}',
        push_prefixes text[] NOT NULL DEFAULT '{}',
        push_mode text NOT NULL DEFAULT 'same_tab' CHECK (push_mode IN ('same_tab', 'new_tab')),
        canned_answers jsonb NOT NULL DEFAULT '[]',
        area geography(MultiPolygon, 4326),
        updated_by uuid REFERENCES users (id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE INDEX livehelp_settings_origins ON livehelp_settings USING gin (allowed_origins)',
    );

    // One row per visitor session; the token is kept only as its SHA-256.
    await queryRunner.query(`
      CREATE TABLE livehelp_visitors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
        conversation_id uuid NOT NULL UNIQUE REFERENCES conversations (id) ON DELETE CASCADE,
        name text,
        topic text,
        origin text NOT NULL,
        address text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        token_expires_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'active', 'closed')),
        representative_id uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        accepted_at timestamptz,
        closed_at timestamptz,
        blocked_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX livehelp_visitors_open ON livehelp_visitors (agency_id, status, created_at)
        WHERE status <> 'closed'`,
    );

    await queryRunner.query(`
      CREATE TABLE livehelp_blocks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
        address text NOT NULL,
        visitor_id uuid REFERENCES livehelp_visitors (id) ON DELETE SET NULL,
        blocked_by uuid NOT NULL REFERENCES users (id),
        until timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE INDEX livehelp_blocks_address ON livehelp_blocks (agency_id, address, until)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE livehelp_blocks');
    await queryRunner.query('DROP TABLE livehelp_visitors');
    await queryRunner.query('DROP TABLE livehelp_settings');
  }
}
