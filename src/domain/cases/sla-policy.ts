import type { Priority } from './priority';

export interface SlaPolicy {
  /** Minutes from the customer's post to the public acknowledgement, by priority. */
  acknowledgeWithinMinutes: Record<Priority, number>;
  /** A new complaint from the same customer about the same brand within this window is a repeat contact. */
  repeatWindowHours: number;
}

const MINUTE_MS = 60_000;

export function acknowledgementDeadline(policy: SlaPolicy, priority: Priority, from: Date): Date {
  return new Date(from.getTime() + policy.acknowledgeWithinMinutes[priority] * MINUTE_MS);
}
