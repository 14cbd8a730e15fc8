import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import type { Platform } from '../domain/brands/brand';
import { decideTriage, isComplaint, type TriageDecision } from '../domain/cases/triage.rules';
import type { PostScore } from '../domain/scoring/post-score';
import { Clock } from '../common/clock';
import { CasesRepository, type CaseChange } from './cases.repository';

export interface ComplaintToTriage {
  postId: string;
  authorId: string;
  authorFollowers: number;
  brandId: string;
  platform: Platform;
  postedAt: Date;
  score: PostScore;
}

export type TriageOutcome = { action: 'ignore' } | { action: 'open' | 'join' | 'reopen'; caseId: string };

/** Applies the triage rules to a stored complaint, inside the ingest transaction. */
@Injectable()
export class CaseTriageService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cases: CasesRepository,
    private readonly clock: Clock,
  ) {}

  async triage(manager: EntityManager, complaint: ComplaintToTriage): Promise<TriageOutcome> {
    // Most posts are not complaints: they need no case, so no database read either.
    if (!isComplaint(complaint.score, this.config.thresholds)) return { action: 'ignore' };
    // Two tries: a concurrent writer may open (or reopen) the customer's case between our read
    // and our write; the second pass then sees it and joins.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const openCase = await this.cases.findOpenForCustomer(manager, complaint.authorId, complaint.brandId);
      const lastClosedCase = openCase ? null : await this.cases.findLastClosedForCustomer(manager, complaint.authorId, complaint.brandId);
      const decision = decideTriage({
        post: { score: complaint.score, authorFollowers: complaint.authorFollowers, postedAt: complaint.postedAt },
        openCase,
        lastClosedCase,
        policy: this.config.sla,
        thresholds: this.config.thresholds,
        now: this.clock.now(),
      });
      if (decision.action === 'ignore') return { action: 'ignore' };
      const caseId = await this.apply(manager, complaint, decision);
      if (caseId) return { action: decision.action, caseId };
    }
    throw new Error(`Could not triage post ${complaint.postId}: its case kept changing underneath`);
  }

  private async apply(manager: EntityManager, complaint: ComplaintToTriage, decision: Exclude<TriageDecision, { action: 'ignore' }>): Promise<string | null> {
    const eventData = (extra: Record<string, unknown>): Record<string, unknown> => ({
      postId: complaint.postId,
      reasons: decision.reasons,
      scoreReasons: complaint.score.reasons,
      ...extra,
    });
    const faultSuggestion = complaint.score.fault;
    const update = {
      priority: decision.priority,
      acknowledgeBy: decision.acknowledgeBy,
      urgency: complaint.score.urgency,
      postedAt: complaint.postedAt,
      faultSuggestion,
    };
    const deadline = { priority: decision.priority, acknowledgeBy: decision.acknowledgeBy };
    switch (decision.action) {
      case 'open':
        return this.cases.insertOpen(
          manager,
          {
            brandId: complaint.brandId,
            authorId: complaint.authorId,
            platform: complaint.platform,
            priority: decision.priority,
            urgency: complaint.score.urgency,
            openedAt: complaint.postedAt,
            acknowledgeBy: decision.acknowledgeBy,
            faultSuggestion,
          },
          { postId: complaint.postId, events: [{ type: 'opened', data: eventData(deadline) }] },
        );
      case 'join': {
        const events: CaseChange['events'] = [{ type: 'post_joined', data: eventData({}) }];
        if (decision.priorityRaised) events.push({ type: 'priority_raised', data: eventData(deadline) });
        const joined = await this.cases.join(manager, decision.caseId, update, decision, { postId: complaint.postId, events });
        return joined ? decision.caseId : null;
      }
      case 'reopen': {
        const events: CaseChange['events'] = [{ type: 'reopened', data: eventData({ ...deadline, repeatContact: true }) }];
        const reopened = await this.cases.reopen(manager, decision.caseId, update, { postId: complaint.postId, events });
        return reopened ? decision.caseId : null;
      }
    }
  }
}
