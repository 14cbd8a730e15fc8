export const CASE_STATUSES = ['new', 'assigned', 'acknowledged', 'waiting_on_customer', 'reopened', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses in which the case still owes the customer something. */
export const OPEN_CASE_STATUSES: readonly CaseStatus[] = ['new', 'assigned', 'acknowledged', 'waiting_on_customer', 'reopened'];

export function isOpenStatus(status: CaseStatus): boolean {
  return OPEN_CASE_STATUSES.includes(status);
}

/** Rule 3: an open case whose acknowledgement deadline passed without a public acknowledgement. */
export function isAcknowledgementOverdue(state: { status: CaseStatus; acknowledgedAt: Date | null; acknowledgeBy: Date }, now: Date): boolean {
  return isOpenStatus(state.status) && state.acknowledgedAt === null && state.acknowledgeBy.getTime() < now.getTime();
}

export const FAULTS = ['company', 'customer', 'third_party', 'unknown'] as const;
export type Fault = (typeof FAULTS)[number];

/** Kinds of entry in a case's append-only history. */
export const CASE_EVENT_TYPES = [
  // Triage
  'opened',
  'post_joined',
  'reopened',
  'priority_raised',
  // Ownership
  'assigned',
  'claimed',
  'handed_over',
  // Work
  'reply_posted',
  'reply_failed',
  'acknowledged',
  'apologised',
  'fault_set',
  'commitment_created',
  'commitment_kept',
  'commitment_cancelled',
  'waiting_on_customer',
  'resolved',
  'closed',
  // Deadlines
  'acknowledgement_breached',
  'commitment_overdue',
  'escalated',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];
