import type { PostScore } from '../scoring/post-score';
import { decidePriority, decideTriage, type TriageContext } from './triage.rules';

const policy = { acknowledgeWithinMinutes: { P1: 15, P2: 60, P3: 240, P4: 1440 }, repeatWindowHours: 72 };
const thresholds = { complaintProbability: 0.5, strongNegativePolarity: -0.35, highReachFollowers: 100_000 };
const now = new Date('2026-11-24T12:00:00Z');
const minutes = (count: number): number => count * 60_000;

function score(overrides: Partial<PostScore> = {}): PostScore {
  return {
    polarity: 'negative',
    polarityScore: -0.2,
    complaint: true,
    complaintProbability: 0.8,
    category: 'other',
    fault: 'unknown',
    faultConfidence: 0,
    severity: [],
    urgency: 50,
    reasons: [],
    language: 'en',
    scorer: 'test',
    ...overrides,
  };
}

function context(overrides: Partial<TriageContext> = {}): TriageContext {
  return {
    post: { score: score(), authorFollowers: 200, postedAt: now },
    openCase: null,
    lastClosedCase: null,
    policy,
    thresholds,
    now,
    ...overrides,
  };
}

describe('decideTriage', () => {
  it('opens a case for a complaint with a deadline from the SLA policy', () => {
    const decision = decideTriage(context());
    expect(decision).toMatchObject({ action: 'open', priority: 'P3' });
    if (decision.action !== 'open') throw new Error('expected open');
    expect(decision.acknowledgeBy.getTime() - now.getTime()).toBe(minutes(240));
  });

  it('ignores a post below the complaint threshold', () => {
    expect(decideTriage(context({ post: { score: score({ complaintProbability: 0.2 }), authorFollowers: 10, postedAt: now } })).action).toBe('ignore');
  });

  it('gives a weak complaint a low priority but still a deadline (nobody is ignored)', () => {
    const decision = decideTriage(context({ post: { score: score({ complaintProbability: 0.55 }), authorFollowers: 10, postedAt: now } }));
    expect(decision).toMatchObject({ action: 'open', priority: 'P4' });
    if (decision.action !== 'open') throw new Error('expected open');
    expect(decision.acknowledgeBy.getTime() - now.getTime()).toBe(minutes(1440));
  });

  it('starts the clock when the customer posted, not when the post was found', () => {
    const postedAt = new Date(now.getTime() - minutes(300));
    const decision = decideTriage(context({ post: { score: score(), authorFollowers: 10, postedAt } }));
    if (decision.action !== 'open') throw new Error('expected open');
    expect(decision.acknowledgeBy.getTime()).toBe(postedAt.getTime() + minutes(240));
  });

  it('counts a post stamped in the future from now', () => {
    const decision = decideTriage(context({ post: { score: score(), authorFollowers: 10, postedAt: new Date(now.getTime() + minutes(600)) } }));
    if (decision.action !== 'open') throw new Error('expected open');
    expect(decision.acknowledgeBy.getTime()).toBe(now.getTime() + minutes(240));
  });

  it("joins the customer's open case and only ever raises its priority", () => {
    const openCase = {
      id: 'case-1',
      status: 'assigned' as const,
      priority: 'P3' as const,
      acknowledgeBy: new Date(now.getTime() + minutes(200)),
      acknowledged: false,
    };
    const severe = decideTriage(context({ openCase, post: { score: score({ severity: ['safety'] }), authorFollowers: 10, postedAt: now } }));
    expect(severe).toMatchObject({ action: 'join', caseId: 'case-1', priority: 'P1', priorityRaised: true });
    if (severe.action !== 'join') throw new Error('expected join');
    expect(severe.acknowledgeBy.getTime()).toBe(now.getTime() + minutes(15));

    const mild = decideTriage(
      context({ openCase: { ...openCase, priority: 'P1' }, post: { score: score({ complaintProbability: 0.55 }), authorFollowers: 10, postedAt: now } }),
    );
    expect(mild).toMatchObject({ action: 'join', priority: 'P1', priorityRaised: false });
    if (mild.action !== 'join') throw new Error('expected join');
    expect(mild.acknowledgeBy).toEqual(openCase.acknowledgeBy);
  });

  it('does not move the deadline of an acknowledged case', () => {
    const openCase = {
      id: 'case-1',
      status: 'acknowledged' as const,
      priority: 'P3' as const,
      acknowledgeBy: new Date(now.getTime() - minutes(60)),
      acknowledged: true,
    };
    const decision = decideTriage(context({ openCase, post: { score: score({ severity: ['legal_threat'] }), authorFollowers: 10, postedAt: now } }));
    expect(decision).toMatchObject({ action: 'join', priority: 'P1', acknowledgeBy: openCase.acknowledgeBy });
  });

  it.each([
    // [status, acknowledged, status after, repeat contact]
    ['new', false, 'new', false],
    ['assigned', false, 'assigned', false],
    ['reopened', false, 'reopened', false],
    ['acknowledged', true, 'acknowledged', true],
    ['waiting_on_customer', true, 'acknowledged', false],
  ] as const)('a post joining a %s case (acknowledged: %s) leaves it %s; repeat contact: %s', (status, acknowledged, after, repeatContact) => {
    const openCase = { id: 'case-1', status, priority: 'P3' as const, acknowledgeBy: new Date(now.getTime() + minutes(60)), acknowledged };
    expect(decideTriage(context({ openCase }))).toMatchObject({ action: 'join', from: status, status: after, repeatContact });
  });

  it('reopens a case closed within the repeat window and owes a new acknowledgement', () => {
    const lastClosedCase = { id: 'case-9', closedAt: new Date(now.getTime() - minutes(60 * 24)) };
    const decision = decideTriage(context({ lastClosedCase }));
    expect(decision).toMatchObject({ action: 'reopen', caseId: 'case-9', priority: 'P3' });
    if (decision.action !== 'reopen') throw new Error('expected reopen');
    expect(decision.acknowledgeBy.getTime()).toBe(now.getTime() + minutes(240));
    expect(decision.reasons).toContain('repeat contact within the repeat window');
  });

  it('opens a new case when the last one closed before the repeat window', () => {
    const lastClosedCase = { id: 'case-9', closedAt: new Date(now.getTime() - minutes(60 * 73)) };
    expect(decideTriage(context({ lastClosedCase })).action).toBe('open');
  });
});

describe('decidePriority', () => {
  const post = (overrides: Partial<PostScore>, followers = 50) => ({ score: score(overrides), authorFollowers: followers, postedAt: now });

  it('makes severity P1 whatever the reach', () => {
    expect(decidePriority(post({ severity: ['safety'] }, 12), thresholds).priority).toBe('P1');
  });

  it('makes strongly negative complaints P2', () => {
    expect(decidePriority(post({ polarityScore: -0.6 }), thresholds).priority).toBe('P2');
    expect(decidePriority(post({ urgency: 75 }), thresholds).priority).toBe('P2');
  });

  it('raises wide-reach authors to P2 but never lowers small accounts below their SLA', () => {
    expect(decidePriority(post({ complaintProbability: 0.55 }, 500_000), thresholds)).toMatchObject({ priority: 'P2' });
    expect(decidePriority(post({ severity: ['privacy'] }, 500_000), thresholds).priority).toBe('P1');
    expect(decidePriority(post({}, 10), thresholds).priority).toBe('P3');
  });
});
