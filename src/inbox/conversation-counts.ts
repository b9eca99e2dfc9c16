/**
 * The All time filter counts (spec: messaging-inbox.txt, "A read filter row
 * with four buttons: All, Unread, Unassigned, and Mine. Each shows a count
 * badge") read from `conversation_count_deltas` (migration 0005) instead of
 * counting every conversation: at 100,000 conversations the full count took
 * ~27 ms a request (bench/inbox), the deltas a fraction of a millisecond.
 *
 * Deltas are appended by a trigger on `conversations` and never updated, so
 * no writer waits on a shared row. `compactConversationCounts` folds them
 * into one row per (organisation, assignee); it is safe to run from several
 * server instances at once: a concurrent compaction skips the rows the other
 * one deleted, and rows inserted meanwhile are left for the next run.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TenantTx } from '../db/tenant.js';
import type { FilterCounts } from './conversation-row.schema.js';

/** The four counts across all time; `userId` null (API tokens) makes Mine 0. */
export async function allTimeCounts(trx: TenantTx, orgId: string, userId: string | null): Promise<FilterCounts> {
  const mine = userId ? sql<boolean>`d.assignee_id = ${userId}::uuid` : sql<boolean>`FALSE`;
  const row = await trx.selectFrom('conversation_count_deltas as d')
    .select([
      sql<number>`coalesce(sum(d.conversations), 0)::int`.as('all'),
      sql<number>`coalesce(sum(d.unread), 0)::int`.as('unread'),
      sql<number>`coalesce(sum(d.conversations) FILTER (WHERE d.assignee_id IS NULL), 0)::int`.as('unassigned'),
      sql<number>`coalesce(sum(d.conversations) FILTER (WHERE ${mine}), 0)::int`.as('mine'),
    ])
    .where('d.org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return { all: row.all, unread: row.unread, unassigned: row.unassigned, mine: row.mine };
}

/**
 * Fold every organisation's deltas into one row per (organisation,
 * assignee), dropping rows that sum to nothing. Runs as the owner (across
 * organisations), in one statement.
 * @returns how many delta rows were folded
 */
export async function compactConversationCounts(db: Kysely<Database>): Promise<number> {
  const result = await sql<{ folded: number }>`
    WITH gone AS (DELETE FROM conversation_count_deltas RETURNING org_id, assignee_id, conversations, unread),
    kept AS (
      INSERT INTO conversation_count_deltas (org_id, assignee_id, conversations, unread)
      SELECT org_id, assignee_id, sum(conversations), sum(unread) FROM gone
      GROUP BY org_id, assignee_id HAVING sum(conversations) <> 0 OR sum(unread) <> 0
    )
    SELECT count(*)::int AS folded FROM gone
  `.execute(db);
  return result.rows[0]?.folded ?? 0;
}

/** How often each server instance compacts the count deltas, in milliseconds. */
export const COUNT_COMPACTION_INTERVAL_MS = 60_000;

/**
 * Compact every `intervalMs` until stopped. Failures are logged and retried
 * at the next tick (the deltas stay correct uncompacted, just more of them).
 */
export function startCountCompaction(db: Kysely<Database>, log: { warn: (obj: unknown, msg: string) => void }, intervalMs = COUNT_COMPACTION_INTERVAL_MS): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = compactConversationCounts(db).catch((err: unknown) => log.warn({ err }, 'compacting the conversation count deltas failed'));
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
