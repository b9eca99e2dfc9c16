/**
 * Bounded retention of the real-time event log (issue 5 item 7): events
 * older than `EVENT_RETENTION_HOURS` are deleted, and the newest deleted
 * position is kept in `inbox_event_horizon` (migration 0005). A client
 * resuming from before the horizon may have missed deleted events, so it is
 * told to resync instead (`readOrgAfter` in event-log.ts).
 *
 * Every server instance prunes on its own timer; the statement is
 * idempotent (instances racing delete each row once, and the horizon only
 * moves forward).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** How often each instance prunes, in milliseconds. */
const PRUNE_INTERVAL_MS = 5 * 60_000;

/**
 * Delete the events written before `olderThan` and move the horizon to the
 * newest of them, in one statement (so a reader sees both or neither).
 * @returns how many events were deleted
 */
export async function pruneInboxEvents(db: Kysely<Database>, olderThan: Date): Promise<number> {
  const { rows } = await sql<{ deleted: number }>`
    WITH doomed AS (
      DELETE FROM inbox_events WHERE created_at < ${olderThan} RETURNING tx, id
    ), newest AS (
      SELECT tx, id FROM doomed ORDER BY tx DESC, id DESC LIMIT 1
    ), horizon AS (
      INSERT INTO inbox_event_horizon (singleton, pruned_tx, pruned_id)
      SELECT true, tx, id FROM newest
      ON CONFLICT (singleton) DO UPDATE SET pruned_tx = excluded.pruned_tx, pruned_id = excluded.pruned_id
      WHERE (inbox_event_horizon.pruned_tx, inbox_event_horizon.pruned_id) < (excluded.pruned_tx, excluded.pruned_id)
    )
    SELECT count(*)::int AS deleted FROM doomed
  `.execute(db);
  return rows[0]?.deleted ?? 0;
}

/** A running retention timer. */
export type Retention = { stop(): Promise<void> };

/**
 * Prune now and then every `PRUNE_INTERVAL_MS`.
 * @param retentionHours events older than this are deleted
 * @param onError told about a failed pass (the next pass retries)
 */
export function startRetention(db: Kysely<Database>, retentionHours: number, onError: (err: unknown) => void): Retention {
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = pruneInboxEvents(db, new Date(Date.now() - retentionHours * 3_600_000)).then(() => undefined, onError);
  };
  pass();
  const timer = setInterval(pass, PRUNE_INTERVAL_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
