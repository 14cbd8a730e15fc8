import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What agents say about a post (complaint, polarity, category, fault), kept as append-only
 * history: a correction is a newer label, and the newest label per post and field wins. The
 * scorer learns from them.
 */
export class PostLabels1764200000000 implements MigrationInterface {
  name = 'PostLabels1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE post_labels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        post_id uuid NOT NULL REFERENCES posts (id),
        complaint boolean,
        polarity text CHECK (polarity IN ('negative', 'neutral', 'positive')),
        category text,
        fault text CHECK (fault IN ('company', 'customer', 'third_party', 'unknown')),
        note text,
        labelled_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (complaint IS NOT NULL OR polarity IS NOT NULL OR category IS NOT NULL OR fault IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX post_labels_by_post ON post_labels (post_id, created_at)`);
    await queryRunner.query(`
      CREATE FUNCTION forbid_post_label_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'post_labels is append-only: % refused (add a newer label instead)', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER post_labels_append_only BEFORE UPDATE OR DELETE ON post_labels
        FOR EACH ROW EXECUTE FUNCTION forbid_post_label_change()`);
    await queryRunner.query(`
      CREATE TRIGGER post_labels_no_truncate BEFORE TRUNCATE ON post_labels
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_post_label_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE post_labels`);
    await queryRunner.query(`DROP FUNCTION forbid_post_label_change`);
  }
}
