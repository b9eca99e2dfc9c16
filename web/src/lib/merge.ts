/** Merging thread pages and live updates without duplicates. Pure. */

type Timed = { id: string; occurredAt: string; createdAt?: string };

/** `a` and `b` merged by id (later wins, fields merged), in chronological order. */
export function mergeMessages<T extends Timed>(a: readonly T[], b: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const m of a) byId.set(m.id, m);
  for (const m of b) byId.set(m.id, { ...(byId.get(m.id) ?? {}), ...m });
  return [...byId.values()].sort((x, y) => x.occurredAt.localeCompare(y.occurredAt) || (x.createdAt ?? '').localeCompare(y.createdAt ?? '') || x.id.localeCompare(y.id));
}

/** Delivery statuses only move forward: pending < sent < delivered < read; failed and decisions are terminal. */
const RANK: Record<string, number> = { pending_approval: 0, pending: 1, sent: 2, delivered: 3, read: 4, failed: 5, rejected: 5 };

/** The status to show after an event: never move a message's status backwards. */
export function laterStatus(current: string | null, incoming: string | null): string | null {
  if (!incoming) return current;
  if (!current) return incoming;
  // A retried failed message starts again at pending.
  if (current === 'failed' && incoming === 'pending') return incoming;
  return (RANK[incoming] ?? 0) >= (RANK[current] ?? 0) ? incoming : current;
}
