/** Merging thread pages and live updates without duplicates. Pure. */

type Media = { state?: 'pending' | 'stored' | 'unavailable' };
type Timed = { id: string; occurredAt: string; createdAt?: string; status?: string | null; body?: string; failureReason?: string | null; providerErrorCode?: string | null; media?: Media[] };

/**
 * `a` and `b` merged by id (`b` wins, fields merged), in chronological order.
 * A status never moves backwards (`laterStatus`): a page fetched before a
 * live status event must not undo it, nor what came with that status (the
 * failure or rejection reason, the provider's code, the approver's edited
 * text), and a photo once stored (or found unavailable) is never shown as
 * pending again.
 */
export function mergeMessages<T extends Timed>(a: readonly T[], b: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const m of a) byId.set(m.id, m);
  for (const m of b) {
    const prev = byId.get(m.id);
    if (prev === undefined) { byId.set(m.id, m); continue; }
    const status = laterStatus(prev.status ?? null, m.status ?? null);
    const stale = status !== (m.status ?? null);
    const media = settledMedia(prev.media, m.media);
    byId.set(m.id, stale
      ? { ...prev, ...m, status, media, body: prev.body, failureReason: prev.failureReason, providerErrorCode: prev.providerErrorCode }
      : { ...prev, ...m, status, media });
  }
  return [...byId.values()].sort((x, y) => x.occurredAt.localeCompare(y.occurredAt) || (x.createdAt ?? '').localeCompare(y.createdAt ?? '') || x.id.localeCompare(y.id));
}

/** `incoming`'s media items, except that an item `current` already has settled (stored or unavailable) stays settled: downloads never go back to pending. */
function settledMedia<M extends Media>(current: M[] | undefined, incoming: M[] | undefined): M[] | undefined {
  if (!current || !incoming) return incoming ?? current;
  return incoming.map((item, i) => (item.state === 'pending' && current[i] && current[i].state !== 'pending' ? current[i] : item));
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
