import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The foundation schema. Shaped for the case rules in DESIGN.md (owner, fault, deadlines,
 * replies, commitments, an append-only history) even where the first slice uses few of them.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sources (
        id text PRIMARY KEY,
        platform text NOT NULL CHECK (platform IN ('x', 'mastodon', 'bluesky', 'demo')),
        description text NOT NULL DEFAULT '',
        enabled boolean NOT NULL DEFAULT true,
        cursor jsonb,
        state text NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'rate_limited', 'failing', 'quiet')),
        next_poll_at timestamptz NOT NULL DEFAULT now(),
        last_polled_at timestamptz,
        last_success_at timestamptz,
        last_post_at timestamptz,
        last_error_at timestamptz,
        last_error text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        posts_stored bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE authors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        platform text NOT NULL,
        external_id text NOT NULL,
        handle text NOT NULL,
        display_name text,
        followers integer NOT NULL DEFAULT 0 CHECK (followers >= 0),
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (platform, external_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email text UNIQUE,
        role text NOT NULL CHECK (role IN ('agent', 'supervisor', 'executive', 'admin')),
        on_shift boolean NOT NULL DEFAULT false,
        capacity integer NOT NULL DEFAULT 10 CHECK (capacity >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigserial UNIQUE,
        brand_id text NOT NULL,
        author_id uuid NOT NULL REFERENCES authors (id),
        platform text NOT NULL,
        status text NOT NULL DEFAULT 'new'
          CHECK (status IN ('new', 'assigned', 'acknowledged', 'waiting_on_customer', 'reopened', 'resolved', 'closed')),
        priority smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),
        urgency smallint NOT NULL DEFAULT 0 CHECK (urgency BETWEEN 0 AND 100),
        fault text NOT NULL DEFAULT 'unknown' CHECK (fault IN ('company', 'customer', 'third_party', 'unknown')),
        fault_suggestion text CHECK (fault_suggestion IN ('company', 'customer', 'third_party', 'unknown')),
        owner_id uuid REFERENCES users (id),
        opened_at timestamptz NOT NULL,
        acknowledge_by timestamptz NOT NULL,
        acknowledged_at timestamptz,
        apologised_at timestamptz,
        escalated_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        last_post_at timestamptz NOT NULL,
        post_count integer NOT NULL DEFAULT 0,
        contact_count integer NOT NULL DEFAULT 1,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Rule 1 and 8: one open case per customer and brand; a second complaint joins it.
    await queryRunner.query(`
      CREATE UNIQUE INDEX cases_one_open_per_customer ON cases (author_id, brand_id)
        WHERE status NOT IN ('resolved', 'closed')`);
    await queryRunner.query(`CREATE INDEX cases_queue ON cases (priority, opened_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX cases_status_queue ON cases (status, priority, opened_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE INDEX cases_acknowledgement_due ON cases (acknowledge_by)
        WHERE acknowledged_at IS NULL AND status NOT IN ('resolved', 'closed')`);
    await queryRunner.query(`CREATE INDEX cases_customer_history ON cases (author_id, brand_id)`);

    await queryRunner.query(`
      CREATE TABLE posts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        platform text NOT NULL,
        external_id text NOT NULL,
        source_id text REFERENCES sources (id),
        author_id uuid NOT NULL REFERENCES authors (id),
        brand_id text,
        case_id uuid REFERENCES cases (id),
        text text NOT NULL,
        lang text,
        url text,
        in_reply_to_external_id text,
        posted_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        metrics jsonb NOT NULL DEFAULT '{}',
        score jsonb NOT NULL,
        polarity text NOT NULL CHECK (polarity IN ('negative', 'neutral', 'positive')),
        complaint boolean NOT NULL,
        complaint_probability real NOT NULL,
        urgency smallint NOT NULL,
        UNIQUE (platform, external_id)
      )`);
    await queryRunner.query(`CREATE INDEX posts_newest ON posts (posted_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX posts_case ON posts (case_id, posted_at)`);

    await queryRunner.query(`
      CREATE TABLE case_events (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        type text NOT NULL,
        actor_id uuid REFERENCES users (id),
        at timestamptz NOT NULL DEFAULT now(),
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await queryRunner.query(`CREATE INDEX case_events_by_case ON case_events (case_id, id)`);
    // Rule 10: the history is append-only, enforced by the database, not by convention.
    await queryRunner.query(`
      CREATE FUNCTION forbid_case_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only: % is not allowed', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
        FOR EACH ROW EXECUTE FUNCTION forbid_case_event_change()`);
    await queryRunner.query(`
      CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_case_event_change()`);

    await queryRunner.query(`
      CREATE TABLE case_replies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases (id),
        author_user_id uuid REFERENCES users (id),
        in_reply_to_post_id uuid REFERENCES posts (id),
        kind text NOT NULL CHECK (kind IN ('acknowledgement', 'apology', 'update', 'resolution')),
        text text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'posted', 'failed')),
        external_id text,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        posted_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX case_replies_by_case ON case_replies (case_id, created_at)`);

    await queryRunner.query(`
      CREATE TABLE case_commitments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases (id),
        reply_id uuid REFERENCES case_replies (id),
        description text NOT NULL,
        due_at timestamptz NOT NULL,
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'kept', 'overdue', 'cancelled')),
        escalated_at timestamptz,
        kept_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX case_commitments_due ON case_commitments (due_at) WHERE state = 'open'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE case_commitments`);
    await queryRunner.query(`DROP TABLE case_replies`);
    await queryRunner.query(`DROP TABLE case_events`);
    await queryRunner.query(`DROP FUNCTION forbid_case_event_change`);
    await queryRunner.query(`DROP TABLE posts`);
    await queryRunner.query(`DROP TABLE cases`);
    await queryRunner.query(`DROP TABLE users`);
    await queryRunner.query(`DROP TABLE authors`);
    await queryRunner.query(`DROP TABLE sources`);
  }
}
