import type { PostScore } from '../scoring/post-score';
import type { CaseStatus } from './case-status';
import { transition } from './case-workflow';
import { mostUrgent, priorityRank, type Priority } from './priority';
import { acknowledgementDeadline, type SlaPolicy } from './sla-policy';

export interface TriageThresholdsInput {
  complaintProbability: number;
  strongNegativePolarity: number;
  highReachFollowers: number;
}

export interface TriagePost {
  score: PostScore;
  authorFollowers: number;
  /** When the customer posted: the acknowledgement clock starts here. */
  postedAt: Date;
}

/** The customer's open case for this brand, if any. */
export interface OpenCaseSnapshot {
  id: string;
  status: CaseStatus;
  priority: Priority;
  acknowledgeBy: Date;
  acknowledged: boolean;
}

/** The customer's most recently resolved or closed case for this brand, if any. */
export interface ClosedCaseSnapshot {
  id: string;
  closedAt: Date;
}

export interface TriageContext {
  post: TriagePost;
  openCase: OpenCaseSnapshot | null;
  lastClosedCase: ClosedCaseSnapshot | null;
  policy: SlaPolicy;
  thresholds: TriageThresholdsInput;
  now: Date;
}

export type TriageDecision =
  | { action: 'ignore'; reason: string }
  | { action: 'open'; priority: Priority; acknowledgeBy: Date; reasons: string[] }
  | {
      action: 'join';
      caseId: string;
      /** The status the case has now, and the one it takes: a customer's answer while we wait on them puts it back in our court. */
      from: CaseStatus;
      status: CaseStatus;
      /** Rule 8: the customer wrote again after our reply (not in answer to our question): counts against first contact resolution. */
      repeatContact: boolean;
      priority: Priority;
      acknowledgeBy: Date;
      priorityRaised: boolean;
      reasons: string[];
    }
  | { action: 'reopen'; caseId: string; priority: Priority; acknowledgeBy: Date; reasons: string[] };

/** Rule 1 starts here: only a post classified as a complaint creates an obligation. */
export function isComplaint(
  score: Pick<TriagePost['score'], 'complaintProbability'>,
  thresholds: Pick<TriageThresholdsInput, 'complaintProbability'>,
): boolean {
  return score.complaintProbability >= thresholds.complaintProbability;
}

/**
 * Rule 1 (nobody is ignored) and rule 8 (repeat contact): every complaint opens a case, joins the
 * customer's open case, or reopens the one closed within the repeat window. Priority sets how
 * soon, never whether: every case gets an acknowledgement deadline.
 */
export function decideTriage(context: TriageContext): TriageDecision {
  const { post, openCase, lastClosedCase, policy, thresholds, now } = context;
  if (!isComplaint(post.score, thresholds)) {
    return { action: 'ignore', reason: `not a complaint (probability ${post.score.complaintProbability})` };
  }

  const { priority, reasons } = decidePriority(post, thresholds);
  // A post found late (a backfill, a restart) still owes the customer from when they posted;
  // a post stamped in the future by a skewed clock counts from when we saw it.
  const clockStart = post.postedAt.getTime() > now.getTime() ? now : post.postedAt;

  if (openCase) {
    const raised = mostUrgent(openCase.priority, priority);
    const priorityRaised = raised !== openCase.priority;
    // An unacknowledged case only ever gets a sooner deadline when a more urgent post joins it.
    const acknowledgeBy =
      priorityRaised && !openCase.acknowledged ? earliest(openCase.acknowledgeBy, acknowledgementDeadline(policy, raised, clockStart)) : openCase.acknowledgeBy;
    const answered = transition(openCase.status, 'customer_replied');
    const status = answered.ok ? answered.to : openCase.status;
    const repeatContact = openCase.acknowledged && openCase.status !== 'waiting_on_customer';
    return { action: 'join', caseId: openCase.id, from: openCase.status, status, repeatContact, priority: raised, acknowledgeBy, priorityRaised, reasons };
  }

  const windowMs = policy.repeatWindowHours * 3_600_000;
  if (lastClosedCase && clockStart.getTime() - lastClosedCase.closedAt.getTime() <= windowMs) {
    return {
      action: 'reopen',
      caseId: lastClosedCase.id,
      priority,
      acknowledgeBy: acknowledgementDeadline(policy, priority, clockStart),
      reasons: [...reasons, 'repeat contact within the repeat window'],
    };
  }

  return { action: 'open', priority, acknowledgeBy: acknowledgementDeadline(policy, priority, clockStart), reasons };
}

/**
 * Rule 9 (fair priority): severity raises urgency; reach can only raise a priority, so a small
 * account is never pushed below its SLA.
 */
export function decidePriority(post: TriagePost, thresholds: TriageThresholdsInput): { priority: Priority; reasons: string[] } {
  const { score } = post;
  const reasons: string[] = [];
  let priority: Priority = 'P3';

  if (score.severity.length > 0) {
    priority = 'P1';
    reasons.push(`P1: severity ${score.severity.join(', ')}`);
  } else if (score.polarityScore <= thresholds.strongNegativePolarity || score.urgency >= 70) {
    priority = 'P2';
    reasons.push(`P2: strongly negative (polarity ${score.polarityScore}, urgency ${score.urgency})`);
  } else if (score.complaintProbability < Math.min(1, thresholds.complaintProbability + 0.15)) {
    priority = 'P4';
    reasons.push(`P4: a weak complaint (probability ${score.complaintProbability})`);
  } else {
    reasons.push('P3: a complaint');
  }

  if (post.authorFollowers >= thresholds.highReachFollowers && priorityRank(priority) > priorityRank('P2')) {
    priority = 'P2';
    reasons.push(`raised to P2: wide reach (${post.authorFollowers} followers)`);
  }
  return { priority, reasons };
}

function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}
