import { CASE_STATUSES, type CaseStatus } from './case-status';
import {
  CASE_ACTIONS,
  escalationOwner,
  pickAgent,
  planAssignments,
  planTeamAssignments,
  transition,
  unmetObligations,
  type AgentLoad,
  type CaseAction,
  type TeamMember,
} from './case-workflow';

describe('case transitions', () => {
  // Every (status, action) pair: the allowed ones and where they lead; everything else is refused.
  const allowed: Record<CaseAction, Partial<Record<CaseStatus, CaseStatus>>> = {
    assign: { new: 'assigned', assigned: 'assigned', acknowledged: 'acknowledged', waiting_on_customer: 'waiting_on_customer', reopened: 'reopened' },
    claim: { new: 'assigned', assigned: 'assigned', acknowledged: 'acknowledged', waiting_on_customer: 'waiting_on_customer', reopened: 'reopened' },
    hand_over: { new: 'assigned', assigned: 'assigned', acknowledged: 'acknowledged', waiting_on_customer: 'waiting_on_customer', reopened: 'reopened' },
    acknowledge: { new: 'acknowledged', assigned: 'acknowledged', reopened: 'acknowledged' },
    wait_on_customer: { acknowledged: 'waiting_on_customer' },
    customer_replied: { waiting_on_customer: 'acknowledged' },
    resolve: { acknowledged: 'resolved', waiting_on_customer: 'resolved' },
    close: { resolved: 'closed' },
    reopen: { resolved: 'reopened', closed: 'reopened' },
  };

  const pairs = CASE_ACTIONS.flatMap((action) => CASE_STATUSES.map((status) => [action, status] as const));

  it.each(pairs)('%s from %s', (action, status) => {
    const result = transition(status, action);
    const expected = allowed[action][status];
    if (expected === undefined) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(new RegExp(`is ${status.replace(/_/g, ' ')}`));
    } else {
      expect(result).toEqual({ ok: true, from: status, to: expected });
    }
  });

  it('names the statuses an action needs when it refuses', () => {
    const result = transition('new', 'resolve');
    expect(result).toEqual({ ok: false, message: 'Cannot resolve a case that is new; only one that is acknowledged, waiting on customer' });
  });
});

describe('unmet obligations at resolution (rules 3, 4, 5)', () => {
  const met = { acknowledgedAt: new Date(), fault: 'customer' as const, apologisedAt: null, openCommitments: 0 };

  it('nothing owed: resolvable', () => {
    expect(unmetObligations(met)).toEqual([]);
  });

  it('no acknowledgement', () => {
    expect(unmetObligations({ ...met, acknowledgedAt: null })).toEqual(['no public acknowledgement has been posted']);
  });

  it('fault undecided', () => {
    expect(unmetObligations({ ...met, fault: 'unknown' })).toEqual([expect.stringMatching(/fault is undecided/)]);
  });

  it('company at fault without an apology, and with one', () => {
    expect(unmetObligations({ ...met, fault: 'company' })).toEqual(['the company was at fault and no apology has been posted']);
    expect(unmetObligations({ ...met, fault: 'company', apologisedAt: new Date() })).toEqual([]);
  });

  it('third party or customer at fault needs no apology', () => {
    expect(unmetObligations({ ...met, fault: 'third_party' })).toEqual([]);
  });

  it('open promises, counted', () => {
    expect(unmetObligations({ ...met, openCommitments: 1 })).toEqual(['1 promised follow-up is still open: keep or cancel it']);
    expect(unmetObligations({ ...met, openCommitments: 2 })).toEqual(['2 promised follow-ups are still open: keep or cancel them']);
  });

  it('lists every unmet obligation at once', () => {
    expect(unmetObligations({ acknowledgedAt: null, fault: 'unknown', apologisedAt: null, openCommitments: 1 })).toHaveLength(3);
    expect(unmetObligations({ acknowledgedAt: null, fault: 'company', apologisedAt: null, openCommitments: 1 })).toHaveLength(3);
  });
});

describe('auto-assignment (rule 2)', () => {
  const agent = (id: string, openCases: number, overrides: Partial<AgentLoad> = {}): AgentLoad => ({
    id,
    onShift: true,
    capacity: 10,
    openCases,
    ...overrides,
  });

  it('picks the least-loaded agent on shift', () => {
    expect(pickAgent([agent('a', 5), agent('b', 2), agent('c', 3)])).toBe('b');
  });

  it('skips agents off shift and agents at capacity', () => {
    expect(pickAgent([agent('a', 0, { onShift: false }), agent('b', 10), agent('c', 9)])).toBe('c');
    expect(pickAgent([agent('a', 0, { onShift: false }), agent('b', 10)])).toBeNull();
    expect(pickAgent([agent('a', 0, { capacity: 0 })])).toBeNull();
  });

  it('weighs load against capacity, then breaks ties by count and id', () => {
    expect(pickAgent([agent('a', 4, { capacity: 5 }), agent('b', 6, { capacity: 20 })])).toBe('b');
    expect(pickAgent([agent('b', 1), agent('a', 1)])).toBe('a');
  });

  it('spreads a batch of cases evenly and stops when everyone is full', () => {
    const plan = planAssignments(['c1', 'c2', 'c3', 'c4', 'c5'], [agent('a', 0, { capacity: 2 }), agent('b', 1, { capacity: 2 })]);
    expect([...plan]).toEqual([
      ['c1', 'a'],
      ['c2', 'a'],
      ['c3', 'b'],
    ]);
  });
});

describe('assignment across the team, and who owns escalations (rules 2 and 6)', () => {
  const member = (id: string, role: TeamMember['role'], openCases: number, overrides: Partial<TeamMember> = {}): TeamMember => ({
    id,
    name: id,
    role,
    onShift: true,
    capacity: 2,
    openCases,
    ...overrides,
  });

  it('gives cases to agents first and to supervisors only when no agent has room; never to executives or admins', () => {
    const team = [member('exec', 'executive', 0), member('admin', 'admin', 0), member('sup', 'supervisor', 0), member('agent', 'agent', 1)];
    expect([...planTeamAssignments(['c1', 'c2', 'c3', 'c4'], team)]).toEqual([
      ['c1', 'agent'],
      ['c2', 'sup'],
      ['c3', 'sup'],
    ]);
  });

  it('hands escalations to the least-loaded supervisor on shift, even a full one', () => {
    const team = [member('s1', 'supervisor', 2), member('s2', 'supervisor', 3, { capacity: 10 }), member('s3', 'supervisor', 0, { onShift: false })];
    expect(escalationOwner(team)?.id).toBe('s2');
    expect(escalationOwner([member('s1', 'supervisor', 5), member('agent', 'agent', 0)])?.id).toBe('s1');
  });

  it('falls back to a supervisor off shift, then to an admin, then to nobody', () => {
    expect(escalationOwner([member('s9', 'supervisor', 0, { onShift: false }), member('s1', 'supervisor', 0, { onShift: false })])?.id).toBe('s1');
    expect(escalationOwner([member('agent', 'agent', 0), member('a2', 'admin', 0), member('a1', 'admin', 0)])?.id).toBe('a1');
    expect(escalationOwner([member('agent', 'agent', 0)])).toBeNull();
  });
});
