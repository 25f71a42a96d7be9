import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutbox1764780050000 implements MigrationInterface {
  name = 'CreateOutbox1764780050000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        dispatched_at timestamptz,
        attempts int NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(
      'CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox');
  }
}
