import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conversations another library runs for people who are not users: the `livehelp` kind, and
 * messages whose sender is named by `sender_label` instead of a user (a Live Help visitor).
 * Such a conversation has one outsider, so its client ids are unique among outsider messages.
 */
export class AllowOutsideSenders1765200000000 implements MigrationInterface {
  name = 'AllowOutsideSenders1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE conversations DROP CONSTRAINT conversations_kind_check');
    await queryRunner.query(
      `ALTER TABLE conversations ADD CONSTRAINT conversations_kind_check
         CHECK (kind IN ('group', 'incident', 'direct', 'interagency', 'livehelp'))`,
    );
    await queryRunner.query('ALTER TABLE messages ADD COLUMN sender_label text');
    await queryRunner.query(
      `CREATE UNIQUE INDEX messages_outsider_client_id ON messages (conversation_id, client_id)
        WHERE sender_id IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX messages_outsider_client_id');
    await queryRunner.query('ALTER TABLE messages DROP COLUMN sender_label');
    await queryRunner.query("DELETE FROM conversations WHERE kind = 'livehelp'");
    await queryRunner.query('ALTER TABLE conversations DROP CONSTRAINT conversations_kind_check');
    await queryRunner.query(
      `ALTER TABLE conversations ADD CONSTRAINT conversations_kind_check
         CHECK (kind IN ('group', 'incident', 'direct', 'interagency'))`,
    );
  }
}
