import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import type { Platform } from '../domain/brands/brand';
import { decideTriage, type TriageDecision } from '../domain/cases/triage.rules';
import type { PostScore } from '../domain/scoring/post-score';
import { Clock } from '../common/clock';
import { PostsRepository } from '../posts/posts.repository';
import { CasesRepository } from './cases.repository';

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
    private readonly posts: PostsRepository,
    private readonly clock: Clock,
  ) {}

  async triage(manager: EntityManager, complaint: ComplaintToTriage): Promise<TriageOutcome> {
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
      const caseId = await this.apply(manager, complaint, decision);
      if (decision.action === 'ignore') return { action: 'ignore' };
      if (caseId) {
        await this.posts.attachToCase(manager, complaint.postId, caseId);
        return { action: decision.action, caseId };
      }
    }
    throw new Error(`Could not triage post ${complaint.postId}: its case kept changing underneath`);
  }

  private async apply(manager: EntityManager, complaint: ComplaintToTriage, decision: TriageDecision): Promise<string | null> {
    const eventData = (extra: Record<string, unknown>): Record<string, unknown> => ({
      postId: complaint.postId,
      reasons: 'reasons' in decision ? decision.reasons : [],
      scoreReasons: complaint.score.reasons,
      ...extra,
    });
    if (decision.action === 'ignore') return null;
    const update = { priority: decision.priority, acknowledgeBy: decision.acknowledgeBy, urgency: complaint.score.urgency, postedAt: complaint.postedAt };
    switch (decision.action) {
      case 'open': {
        const caseId = await this.cases.insertOpen(manager, {
          brandId: complaint.brandId,
          authorId: complaint.authorId,
          platform: complaint.platform,
          priority: decision.priority,
          urgency: complaint.score.urgency,
          openedAt: complaint.postedAt,
          acknowledgeBy: decision.acknowledgeBy,
        });
        if (caseId) await this.cases.appendEvent(manager, caseId, 'opened', eventData({ priority: decision.priority, acknowledgeBy: decision.acknowledgeBy }));
        return caseId;
      }
      case 'join': {
        const joined = await this.cases.join(manager, decision.caseId, update);
        if (!joined) return null;
        await this.cases.appendEvent(manager, decision.caseId, 'post_joined', eventData({}));
        if (decision.priorityRaised) {
          await this.cases.appendEvent(
            manager,
            decision.caseId,
            'priority_raised',
            eventData({ priority: decision.priority, acknowledgeBy: decision.acknowledgeBy }),
          );
        }
        return decision.caseId;
      }
      case 'reopen': {
        const reopened = await this.cases.reopen(manager, decision.caseId, update);
        if (!reopened) return null;
        await this.cases.appendEvent(
          manager,
          decision.caseId,
          'reopened',
          eventData({ priority: decision.priority, acknowledgeBy: decision.acknowledgeBy, repeatContact: true }),
        );
        return decision.caseId;
      }
    }
  }
}
