export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** 1 for P1 (most urgent) to 4 for P4; this is what the database stores and sorts on. */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority) + 1;
}

export function priorityFromRank(rank: number): Priority {
  const priority = PRIORITIES[rank - 1];
  if (priority === undefined) throw new RangeError(`No priority has rank ${rank}`);
  return priority;
}

/** The more urgent of two priorities: a case's priority only ever rises while it is open. */
export function mostUrgent(a: Priority, b: Priority): Priority {
  return priorityRank(a) <= priorityRank(b) ? a : b;
}

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}
