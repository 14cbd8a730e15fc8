import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Source health for the real platforms: when a failure or a silence began, whether it was
 * reported, and an append-only log of health events for the alerts capability to deliver.
 */
export class SourceHealth1764100000000 implements MigrationInterface {
  name = 'SourceHealth1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE sources
        ADD COLUMN rate_limit_group text,
        ADD COLUMN quiet_after_minutes integer NOT NULL DEFAULT 360 CHECK (quiet_after_minutes > 0),
        ADD COLUMN enabled_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN last_new_posts_at timestamptz,
        ADD COLUMN failing_since timestamptz,
        ADD COLUMN failing_reported_at timestamptz,
        ADD COLUMN quiet_reported_at timestamptz,
        ADD COLUMN rate_limited_until timestamptz`);

    await queryRunner.query(`
      CREATE TABLE source_events (
        id bigserial PRIMARY KEY,
        source_id text NOT NULL REFERENCES sources (id),
        type text NOT NULL CHECK (type IN ('failing', 'recovered', 'quiet', 'resumed', 'rate_limited')),
        detail text NOT NULL DEFAULT '',
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX source_events_newest ON source_events (at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE FUNCTION forbid_source_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'source_events is append-only: % refused', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER source_events_append_only BEFORE UPDATE OR DELETE ON source_events
        FOR EACH ROW EXECUTE FUNCTION forbid_source_event_change()`);
    await queryRunner.query(`
      CREATE TRIGGER source_events_no_truncate BEFORE TRUNCATE ON source_events
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_source_event_change()`);

    // Posts in the last hour, per source, for the health view.
    await queryRunner.query(`CREATE INDEX posts_source_received ON posts (source_id, received_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX posts_source_received`);
    await queryRunner.query(`DROP TABLE source_events`);
    await queryRunner.query(`DROP FUNCTION forbid_source_event_change`);
    await queryRunner.query(`
      ALTER TABLE sources
        DROP COLUMN rate_limit_group, DROP COLUMN quiet_after_minutes, DROP COLUMN enabled_at, DROP COLUMN last_new_posts_at,
        DROP COLUMN failing_since, DROP COLUMN failing_reported_at, DROP COLUMN quiet_reported_at,
        DROP COLUMN rate_limited_until`);
  }
}
