import type { Role } from '../users/access';
import { OPEN_CASE_STATUSES as OPEN, type CaseStatus, type Fault } from './case-status';

/**
 * What people and the system do to a case. Each action is allowed from some statuses and leads to
 * one; the table is the whole state machine, and every write checks it before its guarded update.
 */
export const CASE_ACTIONS = ['assign', 'claim', 'hand_over', 'acknowledge', 'wait_on_customer', 'customer_replied', 'resolve', 'close', 'reopen'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

interface Transition {
  from: readonly CaseStatus[];
  /** The status after the action; `keep` leaves it, except that a new case becomes assigned when it gets an owner. */
  to: CaseStatus | 'keep';
  /** Said when the action is refused, after "cannot <verb> a <status> case". */
  verb: string;
}

export const TRANSITIONS: Readonly<Record<CaseAction, Transition>> = {
  assign: { from: OPEN, to: 'keep', verb: 'assign' },
  claim: { from: OPEN, to: 'keep', verb: 'claim' },
  hand_over: { from: OPEN, to: 'keep', verb: 'hand over' },
  // The first public reply acknowledges; later replies leave the status alone.
  acknowledge: { from: ['new', 'assigned', 'reopened'], to: 'acknowledged', verb: 'acknowledge' },
  wait_on_customer: { from: ['acknowledged'], to: 'waiting_on_customer', verb: 'wait on the customer of' },
  customer_replied: { from: ['waiting_on_customer'], to: 'acknowledged', verb: 'take a customer reply on' },
  resolve: { from: ['acknowledged', 'waiting_on_customer'], to: 'resolved', verb: 'resolve' },
  close: { from: ['resolved'], to: 'closed', verb: 'close' },
  reopen: { from: ['resolved', 'closed'], to: 'reopened', verb: 'reopen' },
};

export type TransitionResult = { ok: true; from: CaseStatus; to: CaseStatus } | { ok: false; message: string };

/** The status an action leads to from `status`, or why it is not allowed. */
export function transition(status: CaseStatus, action: CaseAction): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(status)) {
    const allowed = rule.from.map((from) => from.replace(/_/g, ' ')).join(', ');
    return { ok: false, message: `Cannot ${rule.verb} a case that is ${status.replace(/_/g, ' ')}; only one that is ${allowed}` };
  }
  const isOwnership = action === 'assign' || action === 'claim' || action === 'hand_over';
  const to = rule.to === 'keep' ? (isOwnership && status === 'new' ? 'assigned' : status) : rule.to;
  return { ok: true, from: status, to };
}

/** The statuses an action may start from, for the guarded update's `WHERE status = ANY(...)`. */
export function statusesFor(action: CaseAction): CaseStatus[] {
  return [...TRANSITIONS[action].from];
}

export interface ResolutionState {
  acknowledgedAt: Date | null;
  fault: Fault;
  apologisedAt: Date | null;
  openCommitments: number;
}

/**
 * Rules 3, 4 and 5 at resolution: what the case still owes. Empty means it may be resolved.
 * Each entry is a sentence an agent can act on.
 */
export function unmetObligations(state: ResolutionState): string[] {
  const unmet: string[] = [];
  if (state.acknowledgedAt === null) unmet.push('no public acknowledgement has been posted');
  if (state.fault === 'unknown') unmet.push('fault is undecided: set it to company, customer or third party first');
  if (state.fault === 'company' && state.apologisedAt === null) unmet.push('the company was at fault and no apology has been posted');
  if (state.openCommitments > 0)
    unmet.push(
      `${state.openCommitments} promised follow-up${state.openCommitments === 1 ? ' is' : 's are'} still open: keep or cancel ${state.openCommitments === 1 ? 'it' : 'them'}`,
    );
  return unmet;
}

export interface AgentLoad {
  id: string;
  onShift: boolean;
  capacity: number;
  /** Open cases the agent owns now. */
  openCases: number;
}

/**
 * Rule 2: the agent an unowned case goes to: on shift, below capacity, least loaded relative to
 * capacity (then fewest cases, then id, so the choice is stable). Null when nobody can take it.
 */
export function pickAgent(agents: readonly AgentLoad[]): string | null {
  let best: AgentLoad | null = null;
  for (const agent of agents) {
    if (!agent.onShift || agent.openCases >= agent.capacity) continue;
    if (best === null || compareLoad(agent, best) < 0) best = agent;
  }
  return best?.id ?? null;
}

function compareLoad(a: AgentLoad, b: AgentLoad): number {
  const ratio = a.openCases / a.capacity - b.openCases / b.capacity;
  if (ratio !== 0) return ratio;
  if (a.openCases !== b.openCases) return a.openCases - b.openCases;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Assigns many cases in one pass: each goes to the best agent given the cases already handed out
 * in this pass. Returns case id → agent id for the cases that found an agent.
 */
export function planAssignments(caseIds: readonly string[], agents: readonly AgentLoad[]): Map<string, string> {
  const loads = agents.map((agent) => ({ ...agent }));
  const plan = new Map<string, string>();
  for (const caseId of caseIds) {
    const agentId = pickAgent(loads);
    if (agentId === null) break;
    plan.set(caseId, agentId);
    const agent = loads.find((candidate) => candidate.id === agentId);
    if (agent) agent.openCases += 1;
  }
  return plan;
}

/** Someone who can own cases or escalations, with their load. */
export interface TeamMember extends AgentLoad {
  role: Role;
  name: string;
}

/**
 * Rule 2 for a batch of unowned cases: agents on shift first; when no agent has room, supervisors
 * on shift take what is left. Cases nobody can take stay out of the plan.
 */
export function planTeamAssignments(caseIds: readonly string[], team: readonly TeamMember[]): Map<string, string> {
  const plan = planAssignments(
    caseIds,
    team.filter((member) => member.role === 'agent'),
  );
  const rest = caseIds.filter((id) => !plan.has(id));
  for (const [caseId, ownerId] of planAssignments(
    rest,
    team.filter((member) => member.role === 'supervisor'),
  ))
    plan.set(caseId, ownerId);
  return plan;
}

/**
 * Rule 6: supervisors own escalations. The least-loaded supervisor on shift (load against capacity,
 * as for cases, but a full supervisor still takes escalations), else any supervisor, else an admin;
 * null when the team has neither.
 */
export function escalationOwner(team: readonly TeamMember[]): TeamMember | null {
  const supervisors = team.filter((member) => member.role === 'supervisor');
  const onShift = pickAgent(supervisors.map((member) => ({ ...member, capacity: Math.max(member.capacity, member.openCases + 1) })));
  const admins = team.filter((member) => member.role === 'admin');
  return supervisors.find((member) => member.id === onShift) ?? lowestId(supervisors) ?? lowestId(admins);
}

/** The member with the smallest id, so a choice does not depend on the order the team was listed in. */
function lowestId(members: readonly TeamMember[]): TeamMember | null {
  let lowest: TeamMember | null = null;
  for (const member of members) if (lowest === null || member.id < lowest.id) lowest = member;
  return lowest;
}
