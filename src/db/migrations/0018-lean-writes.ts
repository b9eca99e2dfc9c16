/**
 * Fewer index writes per message (issue 16), found with `pg_stat_statements`
 * on bench/send.ts: a sent SMS rewrote its conversation row three times and
 * its own row twice, each rewrite a new entry in every index of the table
 * (the trigram and full-text GIN indexes among them).
 *
 * 1. The inbox date scope by day: `conversations.last_event_at`
 *    (timestamptz) becomes `last_event_day` (date, the organisation's
 *    calendar day of the latest message, status change, note or call
 *    change). Every date range the inbox offers starts and ends at the
 *    organisation's midnights (src/domain/date-range.ts), so the day answers
 *    the scope exactly as the instant did (src/inbox/date-scope.ts). The
 *    instant moved on every delivery status step, so each step rewrote the
 *    conversation row (a non-HOT update touching all eleven of its indexes),
 *    0.8 ms of database CPU each. The day moves at most once a day:
 *    `conversation_activity` now updates the row only when the unread count
 *    changes or the day advances, and still records the activity day. Days
 *    use the organisation's time zone at the time of the activity, as
 *    `conversation_activity_days` always has.
 * 2. `messages` keeps 15% of each page free (fillfactor 85), so an update
 *    that changes no indexed column (the delivery claim's `attempts`, a
 *    call's metadata) stays on its page as a heap-only tuple and writes no
 *    index entry: 1.2 ms per claim before. Applies to pages written from
 *    now on; status changes still touch the indexes (`status` is in the
 *    approval queue's partial index).
 */
import { sql, type Kysely } from 'kysely';
import { createConversationActivityV1 } from './0005-inbox.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE messages SET (fillfactor = 85)`.execute(db);
  await sql`ALTER TABLE conversations ADD COLUMN last_event_day date`.execute(db);
  await sql`
    UPDATE conversations c SET last_event_day = (c.last_event_at AT TIME ZONE o.time_zone)::date
    FROM organisations o WHERE o.id = c.org_id AND c.last_event_at IS NOT NULL
  `.execute(db);
  await sql`DROP INDEX conversations_scope_counts`.execute(db);
  await sql`ALTER TABLE conversations DROP COLUMN last_event_at`.execute(db);
  // The four counts of a date scope, read from the index alone.
  await sql`CREATE INDEX conversations_scope_counts ON conversations (org_id, last_event_day) INCLUDE (unread_count, assignee_id, id)`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION conversation_activity(p_org_id uuid, p_conversation_id uuid, p_at timestamptz, p_unread_delta integer)
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      v_day date := (SELECT (p_at AT TIME ZONE o.time_zone)::date FROM organisations o WHERE o.id = p_org_id);
    BEGIN
      UPDATE conversations SET
        unread_count = unread_count + p_unread_delta,
        last_event_day = greatest(last_event_day, v_day)
      WHERE org_id = p_org_id AND id = p_conversation_id
        AND (p_unread_delta <> 0 OR last_event_day IS NULL OR last_event_day < v_day);
      INSERT INTO conversation_activity_days (org_id, conversation_id, day)
      VALUES (p_org_id, p_conversation_id, v_day)
      ON CONFLICT DO NOTHING;
    END $$
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE messages RESET (fillfactor)`.execute(db);
  await sql`ALTER TABLE conversations ADD COLUMN last_event_at timestamptz`.execute(db);
  await sql`
    UPDATE conversations c SET
      last_event_at = (SELECT greatest(max(m.occurred_at), max(m.status_updated_at)) FROM messages m WHERE m.org_id = c.org_id AND m.conversation_id = c.id)
  `.execute(db);
  await sql`DROP INDEX conversations_scope_counts`.execute(db);
  await sql`ALTER TABLE conversations DROP COLUMN last_event_day`.execute(db);
  await sql`CREATE INDEX conversations_scope_counts ON conversations (org_id, last_event_at) INCLUDE (unread_count, assignee_id, id)`.execute(db);
  await createConversationActivityV1(db);
}
