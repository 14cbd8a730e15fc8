import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case workflow: API tokens for users, the marks that make each escalation happen once,
 * and what a reply and a commitment record about themselves.
 */
export class CaseWorkflow1764300000000 implements MigrationInterface {
  name = 'CaseWorkflow1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        token_hash text NOT NULL UNIQUE,
        label text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX api_tokens_by_user ON api_tokens (user_id)`);
    // The first admin, created when ADMIN_TOKEN is first used, is found by this flag.
    await queryRunner.query(`ALTER TABLE users ADD COLUMN bootstrap boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_one_bootstrap_admin ON users (bootstrap) WHERE bootstrap`);

    // Set by the sweep when it escalates a missed acknowledgement; cleared when a reopen owes a new one.
    await queryRunner.query(`ALTER TABLE cases ADD COLUMN acknowledgement_breached_at timestamptz`);
    await queryRunner.query(`ALTER TABLE cases ADD COLUMN assigned_at timestamptz`);
    await queryRunner.query(`ALTER TABLE cases ADD COLUMN fault_note text`);
    await queryRunner.query(`CREATE INDEX cases_unowned ON cases (opened_at) WHERE owner_id IS NULL AND status NOT IN ('resolved', 'closed')`);
    await queryRunner.query(`CREATE INDEX cases_by_owner ON cases (owner_id) WHERE status NOT IN ('resolved', 'closed')`);

    await queryRunner.query(`ALTER TABLE case_replies ADD COLUMN is_apology boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE case_replies ADD COLUMN repeat_of uuid REFERENCES case_replies (id)`);
    await queryRunner.query(`ALTER TABLE case_replies ADD COLUMN repeat_similarity real`);
    await queryRunner.query(`ALTER TABLE case_commitments ADD COLUMN created_by uuid REFERENCES users (id)`);
    await queryRunner.query(`ALTER TABLE case_commitments ADD COLUMN due_parsed boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE case_commitments DROP COLUMN due_parsed, DROP COLUMN created_by`);
    await queryRunner.query(`ALTER TABLE case_replies DROP COLUMN repeat_similarity, DROP COLUMN repeat_of, DROP COLUMN is_apology`);
    await queryRunner.query(`DROP INDEX cases_by_owner`);
    await queryRunner.query(`DROP INDEX cases_unowned`);
    await queryRunner.query(`ALTER TABLE cases DROP COLUMN fault_note, DROP COLUMN assigned_at, DROP COLUMN acknowledgement_breached_at`);
    await queryRunner.query(`DROP INDEX users_one_bootstrap_admin`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN bootstrap`);
    await queryRunner.query(`DROP TABLE api_tokens`);
  }
}
