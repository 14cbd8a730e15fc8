import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { messageOf } from '../common/error.util';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import type { CaseStatus } from '../domain/cases/case-status';
import { escalationOwner, planTeamAssignments, transition, type TeamMember } from '../domain/cases/case-workflow';
import { UsersRepository } from '../users/users.repository';
import { CaseWorkflowRepository } from './case-workflow.repository';

const SWEEP_INTERVAL_NAME = 'case-deadlines';
/** One instance assigns at a time, so two sweepers never hand the same agent more than their share. */
const ASSIGNMENT_LOCK = 'case-auto-assignment';
const ASSIGN_BATCH = 200;

export interface SweepResult {
  assigned: Array<{ caseId: string; ownerId: string }>;
  /** Cases still without an owner because nobody on shift had room. */
  unassigned: number;
  acknowledgementsBreached: Array<{ caseId: string; number: number }>;
  commitmentsOverdue: Array<{ caseId: string; commitmentId: string }>;
}

/**
 * The deadline sweep (`@nestjs/schedule` interval): assigns unowned cases to the least-loaded
 * agent on shift, and escalates each missed acknowledgement and each overdue promise exactly once.
 * Exactly once holds with any number of instances: each escalation is a guarded UPDATE (`... IS
 * NULL` / `state = 'open'`) whose events are written in the same statement, and PostgreSQL lets
 * only one of two concurrent updates of a row match.
 */
@Injectable()
export class CaseDeadlinesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CaseDeadlines');
  private running: Promise<unknown> | null = null;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly workflow: CaseWorkflowRepository,
    private readonly users: UsersRepository,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => this.tick(), this.config.cases.sweepIntervalSeconds * 1000);
    this.scheduler.addInterval(SWEEP_INTERVAL_NAME, interval);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', SWEEP_INTERVAL_NAME)) this.scheduler.deleteInterval(SWEEP_INTERVAL_NAME);
    await this.running;
  }

  private tick(): void {
    if (this.stopping || this.running) return;
    this.running = this.sweep()
      .catch((error: unknown) => this.logger.error(`Case deadline sweep failed: ${messageOf(error)}`))
      .finally(() => (this.running = null));
  }

  async sweep(): Promise<SweepResult> {
    const now = this.clock.now();
    const { assigned, unassigned } = await this.assignUnowned(now);
    const acknowledgementsBreached = await this.escalateMissedAcknowledgements(now);
    const commitmentsOverdue = await this.escalateOverdueCommitments(now);
    for (const breach of acknowledgementsBreached) this.logger.warn(`Case #${breach.number} missed its acknowledgement deadline: escalated`);
    if (commitmentsOverdue.length > 0) this.logger.warn(`${commitmentsOverdue.length} promised follow-up(s) overdue: escalated`);
    if (unassigned > 0) this.logger.warn(`${unassigned} case(s) wait for an owner: nobody on shift has room`);
    return { assigned, unassigned, acknowledgementsBreached, commitmentsOverdue };
  }

  /** Rule 2: unowned open cases older than the grace period go to the least-loaded agent on shift (supervisors when no agent has room). */
  private async assignUnowned(now: Date): Promise<{ assigned: SweepResult['assigned']; unassigned: number }> {
    return this.dataSource.transaction(async (manager) => {
      const locked: Array<{ locked: boolean }> = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [ASSIGNMENT_LOCK]);
      if (!locked[0]?.locked) return { assigned: [], unassigned: 0 };
      const graceStart = new Date(now.getTime() - this.config.cases.autoAssignAfterMinutes * 60_000);
      const cases: Array<{ id: string; status: CaseStatus }> = await manager.query(
        `SELECT id, status FROM cases WHERE owner_id IS NULL AND status NOT IN ('resolved', 'closed') AND opened_at <= $1
         ORDER BY priority, acknowledge_by, id LIMIT ${ASSIGN_BATCH}
         FOR UPDATE SKIP LOCKED`,
        [graceStart],
      );
      if (cases.length === 0) return { assigned: [], unassigned: 0 };
      const team = await this.users.list(manager);
      const caseIds = cases.map((row) => row.id);
      const plan = planTeamAssignments(caseIds, team);

      const byId = new Map(team.map((member) => [member.id, member]));
      const assigned: SweepResult['assigned'] = [];
      for (const { id: caseId, status } of cases) {
        const ownerId = plan.get(caseId);
        const next = transition(status, 'assign');
        if (ownerId === undefined || !next.ok) continue;
        const owner = byId.get(ownerId);
        const changed = await this.workflow.change(
          manager,
          `UPDATE cases SET owner_id = $4, assigned_at = $5, status = $6, version = version + 1, updated_at = now()
           WHERE id = $3 AND owner_id IS NULL AND status = $7 RETURNING id`,
          [caseId, ownerId, now, next.to, status],
          null,
          [{ type: 'assigned', data: { ownerId, ownerName: owner?.name ?? null, role: owner?.role ?? null, reason: 'least loaded on shift' } }],
        );
        if (changed) assigned.push({ caseId, ownerId });
      }
      return { assigned, unassigned: caseIds.length - assigned.length };
    });
  }

  /** Rules 3 and 6: an acknowledgement deadline passed without a public reply; escalated once per deadline. */
  private async escalateMissedAcknowledgements(now: Date): Promise<SweepResult['acknowledgementsBreached']> {
    return this.dataSource.transaction(async (manager) => {
      const supervisor = await this.escalationOwner(manager);
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
        [now, supervisor?.id ?? null, supervisor?.name ?? null],
      );
      return rows.map((row) => ({ caseId: row.id, number: Number(row.number) }));
    });
  }

  /** Rule 5: an open promise past its due time becomes overdue and escalates, once. */
  private async escalateOverdueCommitments(now: Date): Promise<SweepResult['commitmentsOverdue']> {
    return this.dataSource.transaction(async (manager) => {
      const supervisor = await this.escalationOwner(manager);
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
        [now, supervisor?.id ?? null, supervisor?.name ?? null],
      );
      return rows.map((row) => ({ caseId: row.case_id, commitmentId: row.commitment_id }));
    });
  }

  /** Rule 6: who owns the escalations of this sweep (`escalationOwner` in domain/cases). */
  private async escalationOwner(manager: EntityManager): Promise<TeamMember | null> {
    return escalationOwner(await this.users.list(manager));
  }
}
