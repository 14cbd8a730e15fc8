import {
  BadGatewayException,
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { messageOf } from '../common/error.util';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { isOpenStatus, OPEN_CASE_STATUSES, type CaseStatus, type Fault } from '../domain/cases/case-status';
import { statusesFor, transition, unmetObligations, type CaseAction } from '../domain/cases/case-workflow';
import { deriveReplyKind, detectApology, findFollowUpPromise, findNearRepeat, type ReplyKind } from '../domain/cases/reply-analysis';
import { can } from '../domain/users/access';
import { ConnectorError, PUBLIC_REPLIERS, type PublicReplier } from '../sources/source-connector';
import type { AuthUser } from '../users/auth-user';
import { UsersRepository } from '../users/users.repository';
import { CaseWorkflowRepository, type CaseEventInput, type CaseState, type CommitmentView, type ReplyView } from './case-workflow.repository';

export interface ReplyRequest {
  text: string;
  kind?: ReplyKind;
  /** Send even though it nearly repeats an earlier reply in this case. */
  confirmRepeat?: boolean;
}

export interface ReplyOutcome {
  reply: ReplyView;
  commitment: CommitmentView | null;
  acknowledged: boolean;
  apology: { apology: boolean; reason: string };
}

/**
 * The case rules as the API applies them: ownership (claim, hand-over), public replies through
 * the case's platform, fault, promises, and resolution only when nothing is owed. Decisions come
 * from `domain/cases`; each change is one guarded statement with its events (see the repository).
 */
@Injectable()
export class CaseWorkflowService {
  private readonly logger = new Logger('CaseWorkflow');
  private readonly repliers: Map<string, PublicReplier>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PUBLIC_REPLIERS) repliers: PublicReplier[],
    private readonly dataSource: DataSource,
    private readonly workflow: CaseWorkflowRepository,
    private readonly users: UsersRepository,
    private readonly clock: Clock,
  ) {
    this.repliers = new Map(repliers.map((replier) => [replier.platform, replier]));
  }

  /** Takes an unowned case. Of two agents claiming at once, exactly one wins; the other gets 409. */
  async claim(user: AuthUser, caseId: string): Promise<CaseState> {
    const state = await this.load(caseId);
    if (state.ownerId === user.id) return state;
    if (state.ownerId !== null) throw new ConflictException(`Case #${state.number} is already owned by someone else; ask them or a supervisor to hand it over`);
    const next = this.allowed(state, 'claim');
    const changed = await this.dataSource.transaction((manager) =>
      this.workflow.assignOwner(manager, {
        caseId,
        ownerId: user.id,
        at: this.clock.now(),
        from: state.status,
        to: next,
        actor: user.id,
        event: { type: 'claimed', data: { ownerId: user.id, ownerName: user.name } },
      }),
    );
    if (!changed) throw new ConflictException(`Case #${state.number} was claimed or changed by someone else a moment ago; reload it`);
    return this.load(caseId);
  }

  /** Rule 2: a hand-over names the new owner and the reason, in one step; the case is never ownerless. */
  async handOver(user: AuthUser, caseId: string, request: { to: string; reason: string }): Promise<CaseState> {
    const state = await this.load(caseId);
    this.mustWork(user, state);
    if (request.to === state.ownerId) throw new ConflictException(`Case #${state.number} is already owned by that person`);
    const target = await this.users.findById(request.to);
    if (!target) throw new UnprocessableEntityException(`No user has id ${request.to}`);
    if (!can(target.role, 'cases:work'))
      throw new UnprocessableEntityException(`${target.name} is ${article(target.role)} ${target.role} and cannot own cases`);
    const next = this.allowed(state, 'hand_over');
    const changed = await this.dataSource.transaction((manager) =>
      this.workflow.handOver(manager, {
        caseId,
        ownerId: target.id,
        at: this.clock.now(),
        from: state.status,
        to: next,
        previousOwnerId: state.ownerId,
        actor: user.id,
        event: { type: 'handed_over', data: { from: state.ownerId, to: target.id, toName: target.name, reason: request.reason, onShift: target.onShift } },
      }),
    );
    if (!changed) throw this.changedMeanwhile(state);
    return this.load(caseId);
  }

  /**
   * Posts a reply in public on the case's platform, answering the customer's newest post, and
   * records it with its external id. The first reply acknowledges the case; a real apology meets
   * rule 4; a promise of a follow-up becomes a commitment (rule 5). A reply that nearly repeats
   * an earlier one is refused until the caller confirms it (rule 7).
   */
  async reply(user: AuthUser, caseId: string, request: ReplyRequest): Promise<ReplyOutcome> {
    const state = await this.load(caseId);
    this.mustWork(user, state);
    if (!isOpenStatus(state.status)) {
      throw new ConflictException(`Case #${state.number} is ${state.status}; it reopens when the customer writes again`);
    }
    const text = request.text.trim();
    if (text.length === 0) throw new BadRequestException('text must not be blank');
    const earlier = (await this.workflow.listReplies(caseId)).filter((reply) => reply.state === 'posted');
    const repeat = findNearRepeat(
      text,
      earlier.map((reply) => reply.text),
      this.config.cases.repeatReplySimilarity,
    );
    if (repeat && !request.confirmRepeat) {
      const similar = earlier[repeat.index];
      throw new ConflictException({
        message: `This reply nearly repeats an earlier one in case #${state.number} (similarity ${repeat.similarity.toFixed(2)}); reword it, or send it again with "confirmRepeat": true`,
        repeatOf: similar.id,
        repeatText: similar.text,
        similarity: round(repeat.similarity),
      });
    }
    const apology = detectApology(text);
    if (request.kind === 'apology' && !apology.apology) {
      throw new UnprocessableEntityException(`This reply is not a real apology (${apology.reason}); say what went wrong and that it is on us`);
    }
    const kind = request.kind ?? deriveReplyKind(text, { acknowledged: state.acknowledgedAt !== null });
    const replier = this.repliers.get(state.platform);
    if (!replier) {
      throw new ConflictException(`Cannot reply on ${state.platform}: no account is configured to post there (see the README's source settings)`);
    }
    const target = await this.workflow.replyTarget(caseId);
    if (!target) throw new ConflictException(`Case #${state.number} has no post to answer`);

    const pending = await this.workflow.insertReply({
      caseId,
      authorUserId: user.id,
      inReplyToPostId: target.postId,
      kind,
      text,
      isApology: apology.apology,
      repeatOf: repeat ? earlier[repeat.index].id : null,
      repeatSimilarity: repeat ? round(repeat.similarity) : null,
    });

    let posted: { externalId: string; url: string | null };
    try {
      posted = await replier.reply({ externalId: target.externalId, authorHandle: target.authorHandle }, text);
    } catch (error) {
      const message = messageOf(error);
      await this.workflow.markReplyFailed(pending.id, message);
      await this.dataSource.transaction((manager) =>
        this.workflow.appendEvents(manager, caseId, user.id, [{ type: 'reply_failed', data: { replyId: pending.id, kind, error: message } }]),
      );
      this.logger.warn(`Reply to case #${state.number} failed: ${message}`);
      throw replyFailure(error, state.platform);
    }

    const now = this.clock.now();
    const promise = findFollowUpPromise(text, now, this.config.cases.commitmentDefaultHours);
    return this.dataSource.transaction(async (manager) => {
      const reply = await this.workflow.markReplyPosted(manager, pending.id, posted.externalId, now);
      const commitment = promise
        ? await this.workflow.insertCommitment(manager, {
            caseId,
            replyId: reply.id,
            description: promise.description,
            dueAt: promise.dueAt,
            dueParsed: promise.dueParsed,
            createdBy: user.id,
          })
        : null;
      const current = (await this.workflow.findState(caseId, manager)) ?? state;
      const late = now.getTime() > current.acknowledgeBy.getTime();
      const acknowledges = current.acknowledgedAt === null;
      const apologises = apology.apology && current.apologisedAt === null;
      const events: CaseEventInput[] = [
        { type: 'reply_posted', data: { replyId: reply.id, kind, text, externalId: posted.externalId, url: posted.url, repeatOf: reply.repeatOf } },
      ];
      if (acknowledges) events.push({ type: 'acknowledged', data: { replyId: reply.id, late } });
      if (apologises) events.push({ type: 'apologised', data: { replyId: reply.id, reason: apology.reason } });
      if (commitment)
        events.push({
          type: 'commitment_created',
          data: { commitmentId: commitment.id, description: commitment.description, dueAt: commitment.dueAt, replyId: reply.id },
        });
      // The reply is public already: record it whatever the case's status became meanwhile.
      await this.workflow.recordReply(manager, {
        caseId,
        at: now,
        acknowledgeFrom: statusesFor('acknowledge'),
        apologised: apology.apology,
        actor: user.id,
        events,
      });
      return { reply, commitment, acknowledged: acknowledges, apology };
    });
  }

  /** Rule 4: an agent decides the fault; the scorer's suggestion stays beside it. */
  async setFault(user: AuthUser, caseId: string, request: { fault: Fault; note?: string }): Promise<CaseState> {
    const state = await this.load(caseId);
    this.mustWork(user, state);
    if (!isOpenStatus(state.status)) throw new ConflictException(`Case #${state.number} is ${state.status}; fault can only be set on an open case`);
    const changed = await this.dataSource.transaction((manager) =>
      this.workflow.setFault(manager, {
        caseId,
        fault: request.fault,
        note: request.note ?? null,
        among: OPEN_CASE_STATUSES,
        actor: user.id,
        event: { type: 'fault_set', data: { fault: request.fault, previous: state.fault, suggestion: state.faultSuggestion, note: request.note ?? null } },
      }),
    );
    if (!changed) throw this.changedMeanwhile(state);
    return this.load(caseId);
  }

  /** Rule 5, explicitly: a promise with a due time (the policy default when none is given). */
  async addCommitment(user: AuthUser, caseId: string, request: { description: string; dueAt?: Date }): Promise<CommitmentView> {
    const state = await this.load(caseId);
    this.mustWork(user, state);
    if (!isOpenStatus(state.status)) throw new ConflictException(`Case #${state.number} is ${state.status}; promises belong to open cases`);
    const now = this.clock.now();
    const dueAt = request.dueAt ?? new Date(now.getTime() + this.config.cases.commitmentDefaultHours * 3_600_000);
    if (dueAt.getTime() <= now.getTime()) throw new BadRequestException('dueAt must be in the future');
    return this.dataSource.transaction(async (manager) => {
      const commitment = await this.workflow.insertCommitment(manager, {
        caseId,
        replyId: null,
        description: request.description,
        dueAt,
        dueParsed: request.dueAt !== undefined,
        createdBy: user.id,
      });
      await this.workflow.appendEvents(manager, caseId, user.id, [
        { type: 'commitment_created', data: { commitmentId: commitment.id, description: commitment.description, dueAt: commitment.dueAt, replyId: null } },
      ]);
      return commitment;
    });
  }

  /** Marks a promise kept or cancelled (with a reason); an overdue one can still be kept. */
  async settleCommitment(user: AuthUser, caseId: string, commitmentId: string, outcome: 'kept' | 'cancelled', note?: string): Promise<CommitmentView> {
    const state = await this.load(caseId);
    this.mustWork(user, state);
    const commitment = await this.workflow.findCommitment(caseId, commitmentId);
    if (!commitment) throw new NotFoundException(`Case #${state.number} has no commitment ${commitmentId}`);
    return this.dataSource.transaction(async (manager) => {
      const settled = await this.workflow.settleCommitment(manager, commitmentId, outcome, this.clock.now());
      if (!settled) throw new ConflictException(`That commitment is already ${commitment.state}`);
      await this.workflow.appendEvents(manager, caseId, user.id, [
        {
          type: outcome === 'kept' ? 'commitment_kept' : 'commitment_cancelled',
          data: { commitmentId, description: commitment.description, note: note ?? null },
        },
      ]);
      return settled;
    });
  }

  async waitOnCustomer(user: AuthUser, caseId: string, note?: string): Promise<CaseState> {
    return this.simpleTransition(user, caseId, 'wait_on_customer', 'waiting_on_customer', { note: note ?? null });
  }

  /**
   * Rules 3, 4 and 5: refused with 409 naming every unmet obligation. The guarded update repeats
   * the obligations, so a promise made at the same moment still blocks the resolution.
   */
  async resolve(user: AuthUser, caseId: string, note?: string): Promise<CaseState> {
    const state = await this.load(caseId);
    this.mustWork(user, state);
    const unmet = unmetObligations(state);
    if (unmet.length > 0) throw new ConflictException(`Case #${state.number} cannot be resolved yet: ${unmet.join('; ')}`);
    const next = this.allowed(state, 'resolve');
    const now = this.clock.now();
    const changed = await this.dataSource.transaction((manager) =>
      this.workflow.resolve(manager, {
        caseId,
        at: now,
        from: state.status,
        to: next,
        actor: user.id,
        event: { type: 'resolved', data: { fault: state.fault, note: note ?? null } },
      }),
    );
    if (!changed) throw this.changedMeanwhile(state);
    return this.load(caseId);
  }

  async close(user: AuthUser, caseId: string, note?: string): Promise<CaseState> {
    return this.simpleTransition(user, caseId, 'close', 'closed', { note: note ?? null }, 'closed_at');
  }

  private async simpleTransition(
    user: AuthUser,
    caseId: string,
    action: CaseAction,
    event: 'waiting_on_customer' | 'closed',
    data: Record<string, unknown>,
    stampColumn?: 'closed_at',
  ): Promise<CaseState> {
    const state = await this.load(caseId);
    this.mustWork(user, state);
    const next = this.allowed(state, action);
    const stamp = stampColumn ? { column: stampColumn, at: this.clock.now() } : undefined;
    const changed = await this.dataSource.transaction((manager) =>
      this.workflow.changeStatus(manager, {
        caseId,
        from: state.status,
        to: next,
        stamp,
        actor: user.id,
        event: { type: event, data: { from: state.status, ...data } },
      }),
    );
    if (!changed) throw this.changedMeanwhile(state);
    return this.load(caseId);
  }

  private async load(caseId: string): Promise<CaseState> {
    const state = await this.workflow.findState(caseId);
    if (!state) throw new NotFoundException(`No case has id ${caseId}`);
    return state;
  }

  /** The owner works the case; supervisors and admins may work anyone's. Unowned cases are claimed first. */
  private mustWork(user: AuthUser, state: CaseState): void {
    if (state.ownerId === user.id || can(user.role, 'cases:supervise')) return;
    if (state.ownerId === null) throw new ConflictException(`Case #${state.number} has no owner yet; claim it first (POST /api/cases/${state.id}/claim)`);
    throw new ForbiddenException(`Case #${state.number} is owned by someone else; ask them or a supervisor to hand it over`);
  }

  private allowed(state: CaseState, action: CaseAction): CaseStatus {
    const result = transition(state.status, action);
    if (!result.ok) throw new ConflictException(`Case #${state.number}: ${result.message}`);
    return result.to;
  }

  private changedMeanwhile(state: CaseState): ConflictException {
    return new ConflictException(`Case #${state.number} changed while this request was being handled; reload it and try again`);
  }
}

function replyFailure(error: unknown, platform: string): HttpException {
  if (error instanceof ConnectorError && error.kind === 'rate_limited') {
    const when = error.retryAt ? ` after ${error.retryAt.toISOString()}` : ' later';
    return new HttpException(`${platform} is rate limiting replies; nothing was posted. Try again${when}`, HttpStatus.TOO_MANY_REQUESTS);
  }
  return new BadGatewayException(`${platform} did not take the reply; nothing was posted (${messageOf(error)}). It is recorded as failed; try again`);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
