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
 * A caller that lost a race gets null and says so; nothing is half-written.
 */
@Injectable()
export class CaseWorkflowRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findState(id: string, manager: EntityManager = this.dataSource.manager): Promise<CaseState | null> {
    const rows: CaseStateRow[] = await manager.query(`SELECT ${CASE_STATE_COLUMNS} FROM cases c WHERE c.id = $1`, [id]);
    return rows[0] ? toState(rows[0]) : null;
  }

  /**
   * Runs `write` (an `UPDATE cases ... RETURNING id` using `$3` onwards) and, when it matched,
   * inserts `events` for the case with `actor` in the same statement. Returns whether it matched.
   */
  async change(manager: EntityManager, write: string, parameters: unknown[], actor: string | null, events: CaseEventInput[]): Promise<boolean> {
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
