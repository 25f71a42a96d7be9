import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGroups1764780200000 implements MigrationInterface {
  name = 'CreateGroups1764780200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        name text NOT NULL,
        jurisdiction geography(MultiPolygon, 4326),
        interagency boolean NOT NULL DEFAULT false,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX groups_agency_name_key ON groups (agency_id, lower(name))',
    );
    await queryRunner.query('CREATE INDEX groups_jurisdiction ON groups USING gist (jurisdiction)');

    await queryRunner.query(`
      CREATE TABLE group_partners (
        group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        agency_id uuid NOT NULL REFERENCES agencies (id),
        status text NOT NULL CHECK (status IN ('invited', 'active')),
        invited_by uuid REFERENCES users (id),
        invited_at timestamptz NOT NULL DEFAULT now(),
        accepted_by uuid REFERENCES users (id),
        accepted_at timestamptz,
        PRIMARY KEY (group_id, agency_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX group_partners_agency ON group_partners (agency_id, status)',
    );

    await queryRunner.query(`
      CREATE TABLE group_members (
        group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        role text NOT NULL CHECK (role IN ('member', 'lead')),
        added_by uuid REFERENCES users (id),
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, user_id)
      )`);
    await queryRunner.query('CREATE INDEX group_members_user ON group_members (user_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE group_members');
    await queryRunner.query('DROP TABLE group_partners');
    await queryRunner.query('DROP TABLE groups');
  }
}
