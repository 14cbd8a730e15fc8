import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Platform } from '../domain/brands/brand';
import type { CaseEventType, CaseStatus, Fault } from '../domain/cases/case-status';
import type { ReplyKind } from '../domain/cases/reply-analysis';

/** What the workflow reads about a case before it decides. */
export interface CaseState {
  id: string;
  number: number;
  platform: Platform;
  status: CaseStatus;
  ownerId: string | null;
  fault: Fault;
  faultSuggestion: Fault | null;
  acknowledgeBy: Date;
  acknowledgedAt: Date | null;
  apologisedAt: Date | null;
  /** Promises still owed (open or overdue). */
  openCommitments: number;
}

export interface CaseEventInput {
  type: CaseEventType;
  data: Record<string, unknown>;
}

export interface ReplyView {
  id: string;
  kind: ReplyKind;
  text: string;
  state: 'pending' | 'posted' | 'failed';
  externalId: string | null;
  error: string | null;
  isApology: boolean;
  repeatOf: string | null;
  repeatSimilarity: number | null;
  authorUserId: string | null;
  createdAt: Date;
  postedAt: Date | null;
}

export interface CommitmentView {
  id: string;
  replyId: string | null;
  description: string;
  dueAt: Date;
  dueParsed: boolean;
  state: 'open' | 'kept' | 'overdue' | 'cancelled';
  escalatedAt: Date | null;
  keptAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

/** The customer's post a reply answers: the case's newest post. */
export interface ReplyTargetRow {
  postId: string;
  externalId: string;
  authorHandle: string;
}

const CASE_STATE_COLUMNS = `c.id, c.number, c.platform, c.status, c.owner_id, c.fault, c.fault_suggestion, c.acknowledge_by, c.acknowledged_at, c.apologised_at,
  (SELECT count(*) FROM case_commitments k WHERE k.case_id = c.id AND k.state IN ('open', 'overdue'))::int AS open_commitments`;

/** One instance assigns at a time, so two sweepers never hand the same agent more than their share. */
const ASSIGNMENT_LOCK = 'case-auto-assignment';
const ASSIGN_BATCH = 200;

interface CaseStateRow {
  id: string;
  number: string;
  platform: Platform;
  status: CaseStatus;
  owner_id: string | null;
  fault: Fault;
  fault_suggestion: Fault | null;
  acknowledge_by: Date;
  acknowledged_at: Date | null;
  apologised_at: Date | null;
  open_commitments: number;
}

/**
 * The SQL of the case workflow. Every change to a case is one guarded statement: the UPDATE
 * names the state it expects (`WHERE status = ANY(...)`, the expected owner, the unmet
 * obligations) and its events are inserted in the same statement, only when the update matched.
 * A caller that lost a race gets null and says so; nothing is half-written. The deadline sweep's
 * reads and writes (assignment lock and candidates, escalations) are here too; the services decide.
 */
@Injectable()
export class CaseWorkflowRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findState(id: string, manager: EntityManager = this.dataSource.manager): Promise<CaseState | null> {
    const rows: CaseStateRow[] = await manager.query(`SELECT ${CASE_STATE_COLUMNS} FROM cases c WHERE c.id = $1`, [id]);
    return rows[0] ? toState(rows[0]) : null;
  }

  /**
   * Gives an unowned case its owner (a claim, or the sweep's assignment): matches only while the
   * case is still unowned and in `from`, so of two claims at once exactly one matches.
   */
  async assignOwner(
    manager: EntityManager,
    change: { caseId: string; ownerId: string; at: Date; from: CaseStatus; to: CaseStatus; actor: string | null; event: CaseEventInput },
  ): Promise<boolean> {
    return this.change(
      manager,
      `UPDATE cases SET owner_id = $4, assigned_at = $5, status = $6, version = version + 1, updated_at = now()
       WHERE id = $3 AND owner_id IS NULL AND status = $7 RETURNING id`,
      [change.caseId, change.ownerId, change.at, change.to, change.from],
      change.actor,
      [change.event],
    );
  }

  /** Hands a case to `ownerId`: matches only while the case still has `previousOwnerId` and is in `from`. */
  async handOver(
    manager: EntityManager,
    change: {
      caseId: string;
      ownerId: string;
      at: Date;
      from: CaseStatus;
      to: CaseStatus;
      previousOwnerId: string | null;
      actor: string | null;
      event: CaseEventInput;
    },
  ): Promise<boolean> {
    return this.change(
      manager,
      `UPDATE cases SET owner_id = $4, assigned_at = $5, status = $6, version = version + 1, updated_at = now()
       WHERE id = $3 AND owner_id IS NOT DISTINCT FROM $7::uuid AND status = $8 RETURNING id`,
      [change.caseId, change.ownerId, change.at, change.to, change.previousOwnerId, change.from],
      change.actor,
      [change.event],
    );
  }

  /**
   * Records a posted reply on the case: acknowledged (at `at`, if not already), `acknowledged`
   * status when the case is in one of `acknowledgeFrom`, apologised (if `apologised` and not already).
   */
  async recordReply(
    manager: EntityManager,
    change: { caseId: string; at: Date; acknowledgeFrom: readonly CaseStatus[]; apologised: boolean; actor: string | null; events: CaseEventInput[] },
  ): Promise<boolean> {
    // The reply is public already: record it whatever the case's status became meanwhile.
    return this.change(
      manager,
      `UPDATE cases SET
         acknowledged_at = COALESCE(acknowledged_at, $4),
         status = CASE WHEN status = ANY($5::text[]) THEN 'acknowledged' ELSE status END,
         apologised_at = CASE WHEN $6 THEN COALESCE(apologised_at, $4) ELSE apologised_at END,
         version = version + 1, updated_at = now()
       WHERE id = $3 RETURNING id`,
      [change.caseId, change.at, change.acknowledgeFrom, change.apologised],
      change.actor,
      change.events,
    );
  }

  /** Sets the agent's fault decision: matches only while the case is in one of `among`. */
  async setFault(
    manager: EntityManager,
    change: { caseId: string; fault: Fault; note: string | null; among: readonly CaseStatus[]; actor: string | null; event: CaseEventInput },
  ): Promise<boolean> {
    return this.change(
      manager,
      `UPDATE cases SET fault = $4, fault_note = $5, version = version + 1, updated_at = now()
       WHERE id = $3 AND status = ANY($6::text[]) RETURNING id`,
      [change.caseId, change.fault, change.note, change.among],
      change.actor,
      [change.event],
    );
  }

  /**
   * Resolves a case: matches only while it is in `from` and nothing is owed. The guard repeats
   * the obligations, so a promise made at the same moment still blocks the resolution.
   */
  async resolve(
    manager: EntityManager,
    change: { caseId: string; at: Date; from: CaseStatus; to: CaseStatus; actor: string | null; event: CaseEventInput },
  ): Promise<boolean> {
    return this.change(
      manager,
      `UPDATE cases SET status = $4, resolved_at = $5, version = version + 1, updated_at = now()
       WHERE id = $3 AND status = $6 AND acknowledged_at IS NOT NULL AND fault <> 'unknown'
         AND (fault <> 'company' OR apologised_at IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM case_commitments k WHERE k.case_id = cases.id AND k.state IN ('open', 'overdue'))
       RETURNING id`,
      [change.caseId, change.to, change.at, change.from],
      change.actor,
      [change.event],
    );
  }

  /** Moves a case from `from` to `to`, stamping `stamp.column` with `stamp.at` when given; matches only while it is in `from`. */
  async changeStatus(
    manager: EntityManager,
    change: { caseId: string; from: CaseStatus; to: CaseStatus; stamp?: { column: 'closed_at'; at: Date }; actor: string | null; event: CaseEventInput },
  ): Promise<boolean> {
    const stamp = change.stamp ? `, ${change.stamp.column} = $6` : '';
    const parameters: unknown[] = [change.caseId, change.to, change.from];
    if (change.stamp) parameters.push(change.stamp.at);
    return this.change(
      manager,
      `UPDATE cases SET status = $4${stamp}, version = version + 1, updated_at = now() WHERE id = $3 AND status = $5 RETURNING id`,
      parameters,
      change.actor,
      [change.event],
    );
  }

  /**
   * Takes the sweep's assignment lock (ASSIGNMENT_LOCK, a transaction-scoped advisory lock) for
   * this transaction: false when another instance holds it.
   */
  async tryLockAssignment(manager: EntityManager): Promise<boolean> {
    const locked: Array<{ locked: boolean }> = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [ASSIGNMENT_LOCK]);
    return Boolean(locked[0]?.locked);
  }

  /**
   * Unowned open cases opened at or before `openedBefore`, most urgent first (at most
   * ASSIGN_BATCH), locked for this transaction; rows another transaction holds are skipped.
   */
  async lockUnownedCases(manager: EntityManager, openedBefore: Date): Promise<Array<{ id: string; status: CaseStatus }>> {
    return manager.query(
      `SELECT id, status FROM cases WHERE owner_id IS NULL AND status NOT IN ('resolved', 'closed') AND opened_at <= $1
       ORDER BY priority, acknowledge_by, id LIMIT ${ASSIGN_BATCH}
       FOR UPDATE SKIP LOCKED`,
      [openedBefore],
    );
  }

  /**
   * Marks every open, unacknowledged case whose deadline passed before `at` as breached and
   * escalated to `supervisor`, once (the guard is `acknowledgement_breached_at IS NULL`), with its
   * `acknowledgement_breached` and `escalated` events. Returns the cases marked, by number.
   */
  async escalateMissedAcknowledgements(
    manager: EntityManager,
    at: Date,
    supervisor: { id: string; name: string } | null,
  ): Promise<Array<{ caseId: string; number: number }>> {
    const rows: Array<{ id: string; number: string }> = await manager.query(
      // Rows another transaction holds (an assignment, a reply) are skipped, never waited on, so
      // sweepers cannot deadlock; a skipped case is escalated by the next sweep.
      `WITH candidates AS (
         SELECT id FROM cases
         WHERE acknowledged_at IS NULL AND acknowledge_by < $1 AND acknowledgement_breached_at IS NULL AND status NOT IN ('resolved', 'closed')
         ORDER BY id FOR UPDATE SKIP LOCKED),
       due AS (
         UPDATE cases SET acknowledgement_breached_at = $1, escalated_at = $1, version = version + 1, updated_at = now()
         WHERE id IN (SELECT id FROM candidates) AND acknowledged_at IS NULL AND acknowledgement_breached_at IS NULL
           AND status NOT IN ('resolved', 'closed')
         RETURNING id, number, owner_id, acknowledge_by, priority),
       events AS (
         INSERT INTO case_events (case_id, type, data)
         SELECT case_id, type, data FROM (
           SELECT id AS case_id, 1 AS step, 'acknowledgement_breached' AS type,
                  jsonb_build_object('acknowledgeBy', acknowledge_by, 'ownerId', owner_id, 'priority', 'P' || priority) AS data
           FROM due
           UNION ALL
           SELECT id, 2, 'escalated',
                  jsonb_build_object('reason', 'acknowledgement deadline missed', 'supervisorId', $2::uuid, 'supervisorName', $3::text)
           FROM due) event
         ORDER BY case_id, step)
       SELECT id, number FROM due ORDER BY number`,
      [at, supervisor?.id ?? null, supervisor?.name ?? null],
    );
    return rows.map((row) => ({ caseId: row.id, number: Number(row.number) }));
  }

  /**
   * Marks every open commitment due at or before `at` overdue and escalated to `supervisor`, once
   * (the guard is `state = 'open'`), touches its case, and writes its `commitment_overdue` and
   * `escalated` events. Returns the commitments marked, by case.
   */
  async escalateOverdueCommitments(
    manager: EntityManager,
    at: Date,
    supervisor: { id: string; name: string } | null,
  ): Promise<Array<{ caseId: string; commitmentId: string }>> {
    const rows: Array<{ case_id: string; commitment_id: string }> = await manager.query(
      `WITH candidates AS (
         SELECT id FROM case_commitments WHERE state = 'open' AND due_at <= $1 ORDER BY id FOR UPDATE SKIP LOCKED),
       due AS (
         UPDATE case_commitments SET state = 'overdue', escalated_at = $1
         WHERE id IN (SELECT id FROM candidates) AND state = 'open'
         RETURNING id, case_id, description, due_at),
       touched AS (UPDATE cases SET escalated_at = $1, version = version + 1, updated_at = now() WHERE id IN (SELECT case_id FROM due)),
       events AS (
         INSERT INTO case_events (case_id, type, data)
         SELECT case_id, type, data FROM (
           SELECT case_id, id AS commitment_id, 1 AS step, 'commitment_overdue' AS type,
                  jsonb_build_object('commitmentId', id, 'description', description, 'dueAt', due_at) AS data
           FROM due
           UNION ALL
           SELECT case_id, id, 2, 'escalated',
                  jsonb_build_object('reason', 'promised follow-up overdue', 'commitmentId', id, 'supervisorId', $2::uuid, 'supervisorName', $3::text)
           FROM due) event
         ORDER BY case_id, commitment_id, step)
       SELECT case_id, id AS commitment_id FROM due ORDER BY case_id, id`,
      [at, supervisor?.id ?? null, supervisor?.name ?? null],
    );
    return rows.map((row) => ({ caseId: row.case_id, commitmentId: row.commitment_id }));
  }

  /** Appends events to a case without changing it (a failed reply, for instance). */
  async appendEvents(manager: EntityManager, caseId: string, actor: string | null, events: CaseEventInput[]): Promise<void> {
    await manager.query(
      `INSERT INTO case_events (case_id, type, actor_id, data)
       SELECT $1, event.value ->> 'type', $2::uuid, event.value -> 'data'
       FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS event (value, position) ORDER BY event.position`,
      [caseId, actor, JSON.stringify(events)],
    );
  }

  async replyTarget(caseId: string): Promise<ReplyTargetRow | null> {
    const rows: Array<{ id: string; external_id: string; handle: string }> = await this.dataSource.query(
      `SELECT p.id, p.external_id, a.handle FROM posts p JOIN authors a ON a.id = p.author_id
       WHERE p.case_id = $1 ORDER BY p.posted_at DESC, p.id DESC LIMIT 1`,
      [caseId],
    );
    const row = rows[0];
    return row ? { postId: row.id, externalId: row.external_id, authorHandle: row.handle } : null;
  }

  async listReplies(caseId: string): Promise<ReplyView[]> {
    const rows: ReplyRow[] = await this.dataSource.query(`SELECT ${REPLY_COLUMNS} FROM case_replies WHERE case_id = $1 ORDER BY created_at, id`, [caseId]);
    return rows.map(toReply);
  }

  async insertReply(reply: {
    caseId: string;
    authorUserId: string;
    inReplyToPostId: string;
    kind: ReplyKind;
    text: string;
    isApology: boolean;
    repeatOf: string | null;
    repeatSimilarity: number | null;
  }): Promise<ReplyView> {
    const rows: ReplyRow[] = await this.dataSource.query(
      `INSERT INTO case_replies (case_id, author_user_id, in_reply_to_post_id, kind, text, is_apology, repeat_of, repeat_similarity)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${REPLY_COLUMNS}`,
      [reply.caseId, reply.authorUserId, reply.inReplyToPostId, reply.kind, reply.text, reply.isApology, reply.repeatOf, reply.repeatSimilarity],
    );
    return toReply(rows[0]);
  }

  async markReplyPosted(manager: EntityManager, replyId: string, externalId: string, at: Date): Promise<ReplyView> {
    const rows: ReplyRow[] = await manager.query(
      // TypeORM answers a bare UPDATE ... RETURNING with [rows, count]; a WITH ... SELECT answers with the rows.
      `WITH changed AS (UPDATE case_replies SET state = 'posted', external_id = $2, posted_at = $3 WHERE id = $1 AND state = 'pending' RETURNING ${REPLY_COLUMNS})
       SELECT * FROM changed`,
      [replyId, externalId, at],
    );
    return toReply(rows[0]);
  }

  async markReplyFailed(replyId: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE case_replies SET state = 'failed', error = $2 WHERE id = $1 AND state = 'pending'`, [replyId, error.slice(0, 1000)]);
  }

  async insertCommitment(
    manager: EntityManager,
    commitment: { caseId: string; replyId: string | null; description: string; dueAt: Date; dueParsed: boolean; createdBy: string },
  ): Promise<CommitmentView> {
    const rows: CommitmentRow[] = await manager.query(
      `INSERT INTO case_commitments (case_id, reply_id, description, due_at, due_parsed, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COMMITMENT_COLUMNS}`,
      [commitment.caseId, commitment.replyId, commitment.description, commitment.dueAt, commitment.dueParsed, commitment.createdBy],
    );
    return toCommitment(rows[0]);
  }

  async findCommitment(caseId: string, commitmentId: string): Promise<CommitmentView | null> {
    const rows: CommitmentRow[] = await this.dataSource.query(`SELECT ${COMMITMENT_COLUMNS} FROM case_commitments WHERE id = $1 AND case_id = $2`, [
      commitmentId,
      caseId,
    ]);
    return rows[0] ? toCommitment(rows[0]) : null;
  }

  /** Keeps or cancels an owed commitment; null when it was no longer owed. */
  async settleCommitment(manager: EntityManager, commitmentId: string, state: 'kept' | 'cancelled', at: Date): Promise<CommitmentView | null> {
    const rows: CommitmentRow[] = await manager.query(
      `WITH changed AS (
         UPDATE case_commitments SET state = $2, kept_at = CASE WHEN $2 = 'kept' THEN $3::timestamptz ELSE kept_at END
         WHERE id = $1 AND state IN ('open', 'overdue') RETURNING ${COMMITMENT_COLUMNS})
       SELECT * FROM changed`,
      [commitmentId, state, at],
    );
    return rows[0] ? toCommitment(rows[0]) : null;
  }

  async listCommitments(caseId: string): Promise<CommitmentView[]> {
    const rows: CommitmentRow[] = await this.dataSource.query(`SELECT ${COMMITMENT_COLUMNS} FROM case_commitments WHERE case_id = $1 ORDER BY created_at, id`, [
      caseId,
    ]);
    return rows.map(toCommitment);
  }

  /**
   * Runs `write` (an `UPDATE cases ... RETURNING id` using `$3` onwards) and, when it matched,
   * inserts `events` for the case with `actor` in the same statement. Returns whether it matched.
   */
  private async change(manager: EntityManager, write: string, parameters: unknown[], actor: string | null, events: CaseEventInput[]): Promise<boolean> {
    const rows: Array<{ id: string }> = await manager.query(
      `WITH changed AS (${write}),
       events AS (
         INSERT INTO case_events (case_id, type, actor_id, data)
         SELECT changed.id, event.value ->> 'type', $2::uuid, event.value -> 'data'
         FROM changed, jsonb_array_elements($1::jsonb) WITH ORDINALITY AS event (value, position)
         ORDER BY event.position)
       SELECT id FROM changed`,
      [JSON.stringify(events), actor, ...parameters],
    );
    return rows.length > 0;
  }
}

const REPLY_COLUMNS = `id, kind, text, state, external_id, error, is_apology, repeat_of, repeat_similarity, author_user_id, created_at, posted_at`;

interface ReplyRow {
  id: string;
  kind: ReplyKind;
  text: string;
  state: ReplyView['state'];
  external_id: string | null;
  error: string | null;
  is_apology: boolean;
  repeat_of: string | null;
  repeat_similarity: number | null;
  author_user_id: string | null;
  created_at: Date;
  posted_at: Date | null;
}

function toReply(row: ReplyRow): ReplyView {
  return {
    id: row.id,
    kind: row.kind,
    text: row.text,
    state: row.state,
    externalId: row.external_id,
    error: row.error,
    isApology: row.is_apology,
    repeatOf: row.repeat_of,
    repeatSimilarity: row.repeat_similarity,
    authorUserId: row.author_user_id,
    createdAt: row.created_at,
    postedAt: row.posted_at,
  };
}

const COMMITMENT_COLUMNS = `id, reply_id, description, due_at, due_parsed, state, escalated_at, kept_at, created_by, created_at`;

interface CommitmentRow {
  id: string;
  reply_id: string | null;
  description: string;
  due_at: Date;
  due_parsed: boolean;
  state: CommitmentView['state'];
  escalated_at: Date | null;
  kept_at: Date | null;
  created_by: string | null;
  created_at: Date;
}

function toCommitment(row: CommitmentRow): CommitmentView {
  return {
    id: row.id,
    replyId: row.reply_id,
    description: row.description,
    dueAt: row.due_at,
    dueParsed: row.due_parsed,
    state: row.state,
    escalatedAt: row.escalated_at,
    keptAt: row.kept_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function toState(row: CaseStateRow): CaseState {
  return {
    id: row.id,
    number: Number(row.number),
    platform: row.platform,
    status: row.status,
    ownerId: row.owner_id,
    fault: row.fault,
    faultSuggestion: row.fault_suggestion,
    acknowledgeBy: row.acknowledge_by,
    acknowledgedAt: row.acknowledged_at,
    apologisedAt: row.apologised_at,
    openCommitments: row.open_commitments,
  };
}
