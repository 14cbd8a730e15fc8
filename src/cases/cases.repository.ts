import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Platform } from '../domain/brands/brand';
import type { CaseEventType, CaseStatus, Fault } from '../domain/cases/case-status';
import { priorityFromRank, priorityRank, type Priority } from '../domain/cases/priority';
import type { ClosedCaseSnapshot, OpenCaseSnapshot } from '../domain/cases/triage.rules';

export interface CaseView {
  id: string;
  number: number;
  brandId: string;
  platform: Platform;
  status: CaseStatus;
  priority: Priority;
  urgency: number;
  fault: Fault;
  faultSuggestion: Fault | null;
  ownerId: string | null;
  customer: { id: string; handle: string; displayName: string | null; followers: number };
  openedAt: Date;
  acknowledgeBy: Date;
  acknowledgedAt: Date | null;
  apologisedAt: Date | null;
  /** When the sweep escalated a missed acknowledgement (cleared when a reopen owes a new one). */
  acknowledgementBreachedAt: Date | null;
  escalatedAt: Date | null;
  assignedAt: Date | null;
  faultNote: string | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  lastPostAt: Date;
  postCount: number;
  contactCount: number;
}

export interface CaseEventView {
  id: number;
  type: CaseEventType;
  actorId: string | null;
  at: Date;
  data: Record<string, unknown>;
}

export interface CaseListFilter {
  statuses?: CaseStatus[];
  priorities?: Priority[];
  brandId?: string;
  /** A user id, or null for unowned cases. */
  ownerId?: string | null;
  /** Keyset position: the last case of the previous page. */
  after?: { priority: Priority; openedAt: Date; id: string };
  limit: number;
}

export interface NewCase {
  brandId: string;
  authorId: string;
  platform: Platform;
  priority: Priority;
  urgency: number;
  openedAt: Date;
  acknowledgeBy: Date;
  /** The scorer's fault suggestion, shown beside the agent's decision. */
  faultSuggestion: Fault;
}

export interface CaseUpdate {
  priority: Priority;
  acknowledgeBy: Date;
  urgency: number;
  postedAt: Date;
  /** The newest post's fault suggestion; `unknown` keeps the one the case has. */
  faultSuggestion: Fault;
}

/** What a triage write records besides the case row: its events, and the post it links. */
export interface CaseChange {
  postId: string;
  events: Array<{ type: CaseEventType; data: Record<string, unknown> }>;
}

interface CaseRow {
  id: string;
  number: string;
  brand_id: string;
  platform: Platform;
  status: CaseStatus;
  priority: number;
  urgency: number;
  fault: Fault;
  fault_suggestion: Fault | null;
  owner_id: string | null;
  author_id: string;
  author_handle: string;
  author_display_name: string | null;
  author_followers: number;
  opened_at: Date;
  acknowledge_by: Date;
  acknowledged_at: Date | null;
  apologised_at: Date | null;
  acknowledgement_breached_at: Date | null;
  escalated_at: Date | null;
  assigned_at: Date | null;
  fault_note: string | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  last_post_at: Date;
  post_count: number;
  contact_count: number;
}

const CASE_COLUMNS = `c.id, c.number, c.brand_id, c.platform, c.status, c.priority, c.urgency, c.fault, c.fault_suggestion,
  c.owner_id, c.author_id, a.handle AS author_handle, a.display_name AS author_display_name, a.followers AS author_followers,
  c.opened_at, c.acknowledge_by, c.acknowledged_at, c.apologised_at, c.acknowledgement_breached_at, c.escalated_at, c.assigned_at, c.fault_note,
  c.resolved_at, c.closed_at, c.last_post_at, c.post_count, c.contact_count`;

const OPEN = `c.status NOT IN ('resolved', 'closed')`;

/**
 * Every write to a case is a guarded UPDATE in the caller's transaction, paired by the caller
 * with an event, so a case never changes without its history saying so.
 */
@Injectable()
export class CasesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findOpenForCustomer(manager: EntityManager, authorId: string, brandId: string): Promise<OpenCaseSnapshot | null> {
    const rows: Array<{ id: string; status: CaseStatus; priority: number; acknowledge_by: Date; acknowledged_at: Date | null }> = await manager.query(
      `SELECT c.id, c.status, c.priority, c.acknowledge_by, c.acknowledged_at FROM cases c
       WHERE c.author_id = $1 AND c.brand_id = $2 AND ${OPEN} FOR UPDATE`,
      [authorId, brandId],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          status: row.status,
          priority: priorityFromRank(row.priority),
          acknowledgeBy: row.acknowledge_by,
          acknowledged: row.acknowledged_at !== null,
        }
      : null;
  }

  async findLastClosedForCustomer(manager: EntityManager, authorId: string, brandId: string): Promise<ClosedCaseSnapshot | null> {
    const rows: Array<{ id: string; closed_at: Date }> = await manager.query(
      `SELECT c.id, COALESCE(c.resolved_at, c.closed_at) AS closed_at FROM cases c
       WHERE c.author_id = $1 AND c.brand_id = $2 AND NOT (${OPEN}) AND COALESCE(c.resolved_at, c.closed_at) IS NOT NULL
       ORDER BY COALESCE(c.resolved_at, c.closed_at) DESC LIMIT 1`,
      [authorId, brandId],
    );
    const row = rows[0];
    return row ? { id: row.id, closedAt: row.closed_at } : null;
  }

  /**
   * Opens a case unless the customer already has an open one for the brand (then returns null).
   * The events and the post's link to the case are written in the same statement.
   */
  async insertOpen(manager: EntityManager, newCase: NewCase, change: CaseChange): Promise<string | null> {
    return this.changeCase(
      manager,
      `INSERT INTO cases (brand_id, author_id, platform, status, priority, urgency, opened_at, acknowledge_by, last_post_at, post_count, fault_suggestion)
       VALUES ($3, $4, $5, 'new', $6, $7, $8, $9, $8, 1, $10)
       ON CONFLICT (author_id, brand_id) WHERE status NOT IN ('resolved', 'closed') DO NOTHING
       RETURNING id`,
      [
        newCase.brandId,
        newCase.authorId,
        newCase.platform,
        priorityRank(newCase.priority),
        newCase.urgency,
        newCase.openedAt,
        newCase.acknowledgeBy,
        newCase.faultSuggestion,
      ],
      change,
    );
  }

  /**
   * Adds a post to an open case in the status triage read (`join.from`), moving it to `join.status`
   * and counting a repeat contact when triage says so; priority and deadline only move towards
   * more urgent.
   */
  async join(
    manager: EntityManager,
    caseId: string,
    update: CaseUpdate,
    join: { from: CaseStatus; status: CaseStatus; repeatContact: boolean },
    change: CaseChange,
  ): Promise<boolean> {
    const id = await this.changeCase(
      manager,
      `UPDATE cases SET post_count = post_count + 1,
         contact_count = contact_count + $10, status = $11,
         last_post_at = GREATEST(last_post_at, $4),
         priority = LEAST(priority, $5), acknowledge_by = LEAST(acknowledge_by, $6), urgency = GREATEST(urgency, $7),
         fault_suggestion = COALESCE(NULLIF($8, 'unknown'), fault_suggestion),
         version = version + 1, updated_at = now()
       WHERE id = $3 AND status = $9 RETURNING id`,
      [
        caseId,
        update.postedAt,
        priorityRank(update.priority),
        update.acknowledgeBy,
        update.urgency,
        update.faultSuggestion,
        join.from,
        join.repeatContact ? 1 : 0,
        join.status,
      ],
      change,
    );
    return id !== null;
  }

  /**
   * Reopens a resolved or closed case for a repeat contact: a new acknowledgement is owed.
   * Returns false when the case is no longer closed (or another open case exists).
   */
  async reopen(manager: EntityManager, caseId: string, update: CaseUpdate, change: CaseChange): Promise<boolean> {
    const id = await this.changeCase(
      manager,
      `UPDATE cases SET status = 'reopened', contact_count = contact_count + 1, post_count = post_count + 1,
         priority = $4, urgency = $5, acknowledge_by = $6, acknowledged_at = NULL, acknowledgement_breached_at = NULL,
         resolved_at = NULL, closed_at = NULL, last_post_at = GREATEST(last_post_at, $7),
         fault_suggestion = COALESCE(NULLIF($8, 'unknown'), fault_suggestion),
         version = version + 1, updated_at = now()
       WHERE id = $3 AND status IN ('resolved', 'closed')
         AND NOT EXISTS (SELECT 1 FROM cases other WHERE other.author_id = cases.author_id AND other.brand_id = cases.brand_id
                         AND other.status NOT IN ('resolved', 'closed'))
       RETURNING id`,
      [caseId, priorityRank(update.priority), update.urgency, update.acknowledgeBy, update.postedAt, update.faultSuggestion],
      change,
    );
    return id !== null;
  }

  /**
   * One round trip per triaged post: the case write (`$3` onwards), then, only when it changed a
   * row, its events in order and the post's link to the case. Nothing is written when the guarded
   * write matched no row.
   */
  private async changeCase(manager: EntityManager, write: string, parameters: unknown[], change: CaseChange): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query(
      `WITH changed AS (${write}),
       events AS (
         INSERT INTO case_events (case_id, type, data)
         SELECT changed.id, event.value ->> 'type', event.value -> 'data'
         FROM changed, jsonb_array_elements($1::jsonb) WITH ORDINALITY AS event (value, position)
         ORDER BY event.position),
       attached AS (UPDATE posts SET case_id = changed.id FROM changed WHERE posts.id = $2)
       SELECT id FROM changed`,
      [JSON.stringify(change.events), change.postId, ...parameters],
    );
    return rows[0]?.id ?? null;
  }

  async list(filter: CaseListFilter): Promise<CaseView[]> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const parameter = (value: unknown): string => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    if (filter.statuses?.length) conditions.push(`c.status = ANY(${parameter(filter.statuses)}::text[])`);
    if (filter.priorities?.length) conditions.push(`c.priority = ANY(${parameter(filter.priorities.map(priorityRank))}::smallint[])`);
    if (filter.brandId !== undefined) conditions.push(`c.brand_id = ${parameter(filter.brandId)}`);
    if (filter.ownerId === null) conditions.push('c.owner_id IS NULL');
    else if (filter.ownerId !== undefined) conditions.push(`c.owner_id = ${parameter(filter.ownerId)}::uuid`);
    if (filter.after) {
      // Most urgent first, newest first within a priority: (priority ASC, opened_at DESC, id DESC).
      const priority = parameter(priorityRank(filter.after.priority));
      const openedAt = parameter(filter.after.openedAt.toISOString());
      const id = parameter(filter.after.id);
      conditions.push(`(c.priority > ${priority} OR (c.priority = ${priority} AND (c.opened_at, c.id) < (${openedAt}::timestamptz, ${id}::uuid)))`);
    }
    const limit = parameter(filter.limit);
    const rows: CaseRow[] = await this.dataSource.query(
      `SELECT ${CASE_COLUMNS} FROM cases c JOIN authors a ON a.id = c.author_id
       ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY c.priority ASC, c.opened_at DESC, c.id DESC LIMIT ${limit}`,
      parameters,
    );
    return rows.map(toCaseView);
  }

  async findById(id: string): Promise<CaseView | null> {
    const rows: CaseRow[] = await this.dataSource.query(`SELECT ${CASE_COLUMNS} FROM cases c JOIN authors a ON a.id = c.author_id WHERE c.id = $1`, [id]);
    return rows[0] ? toCaseView(rows[0]) : null;
  }

  async listEvents(caseId: string): Promise<CaseEventView[]> {
    const rows: Array<{ id: string; type: CaseEventType; actor_id: string | null; at: Date; data: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT id, type, actor_id, at, data FROM case_events WHERE case_id = $1 ORDER BY id`,
      [caseId],
    );
    return rows.map((row) => ({ id: Number(row.id), type: row.type, actorId: row.actor_id, at: row.at, data: row.data }));
  }
}

function toCaseView(row: CaseRow): CaseView {
  return {
    id: row.id,
    number: Number(row.number),
    brandId: row.brand_id,
    platform: row.platform,
    status: row.status,
    priority: priorityFromRank(row.priority),
    urgency: row.urgency,
    fault: row.fault,
    faultSuggestion: row.fault_suggestion,
    ownerId: row.owner_id,
    customer: { id: row.author_id, handle: row.author_handle, displayName: row.author_display_name, followers: row.author_followers },
    openedAt: row.opened_at,
    acknowledgeBy: row.acknowledge_by,
    acknowledgedAt: row.acknowledged_at,
    apologisedAt: row.apologised_at,
    acknowledgementBreachedAt: row.acknowledgement_breached_at,
    escalatedAt: row.escalated_at,
    assignedAt: row.assigned_at,
    faultNote: row.fault_note,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    lastPostAt: row.last_post_at,
    postCount: row.post_count,
    contactCount: row.contact_count,
  };
}
