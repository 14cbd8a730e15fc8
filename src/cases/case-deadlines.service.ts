import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { messageOf } from '../common/error.util';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { escalationOwner, planTeamAssignments, transition, type TeamMember } from '../domain/cases/case-workflow';
import { UsersRepository } from '../users/users.repository';
import { CaseWorkflowRepository } from './case-workflow.repository';

const SWEEP_INTERVAL_NAME = 'case-deadlines';

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
      // One instance assigns at a time, so two sweepers never hand the same agent more than their share.
      if (!(await this.workflow.tryLockAssignment(manager))) return { assigned: [], unassigned: 0 };
      const graceStart = new Date(now.getTime() - this.config.cases.autoAssignAfterMinutes * 60_000);
      const cases = await this.workflow.lockUnownedCases(manager, graceStart);
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
        const changed = await this.workflow.assignOwner(manager, {
          caseId,
          ownerId,
          at: now,
          from: status,
          to: next.to,
          actor: null,
          event: { type: 'assigned', data: { ownerId, ownerName: owner?.name ?? null, role: owner?.role ?? null, reason: 'least loaded on shift' } },
        });
        if (changed) assigned.push({ caseId, ownerId });
      }
      return { assigned, unassigned: caseIds.length - assigned.length };
    });
  }

  /** Rules 3 and 6: an acknowledgement deadline passed without a public reply; escalated once per deadline. */
  private async escalateMissedAcknowledgements(now: Date): Promise<SweepResult['acknowledgementsBreached']> {
    return this.dataSource.transaction(async (manager) => {
      const supervisor = await this.escalationOwner(manager);
      return this.workflow.escalateMissedAcknowledgements(manager, now, supervisor);
    });
  }

  /** Rule 5: an open promise past its due time becomes overdue and escalates, once. */
  private async escalateOverdueCommitments(now: Date): Promise<SweepResult['commitmentsOverdue']> {
    return this.dataSource.transaction(async (manager) => {
      const supervisor = await this.escalationOwner(manager);
      return this.workflow.escalateOverdueCommitments(manager, now, supervisor);
    });
  }

  /** Rule 6: who owns the escalations of this sweep (`escalationOwner` in domain/cases). */
  private async escalationOwner(manager: EntityManager): Promise<TeamMember | null> {
    return escalationOwner(await this.users.list(manager));
  }
}
