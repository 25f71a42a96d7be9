import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Feeds of CAP alerts an agency polls, their polling state, and the links already fetched. */
export class CreateFeedSources1764780500000 implements MigrationInterface {
  name = 'CreateFeedSources1764780500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE feed_sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        url text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('cap', 'atom', 'rss')),
        interval_seconds int NOT NULL CHECK (interval_seconds >= 30),
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_polled_at timestamptz,
        etag text,
        last_modified text,
        last_status int,
        last_error text,
        consecutive_failures int NOT NULL DEFAULT 0,
        next_poll_at timestamptz NOT NULL DEFAULT now(),
        imported_count int NOT NULL DEFAULT 0,
        UNIQUE (agency_id, url)
      )`);
    await queryRunner.query(`
      CREATE TABLE feed_seen_links (
        feed_id uuid NOT NULL REFERENCES feed_sources (id) ON DELETE CASCADE,
        url text NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (feed_id, url)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE feed_seen_links');
    await queryRunner.query('DROP TABLE feed_sources');
  }
}
