/**
 * A cheap check that the generator's denormalised columns equal what the
 * triggers on `messages` (migration 0005) and the write paths would have
 * left, recomputed from the messages of a random sample of conversations:
 * `unread_count` (inbound with no `read_at`), `last_event_day` (the
 * organisation-local day of the latest occurred_at or status_updated_at), `last_activity_at` (latest
 * customer-facing message), `last_inbound_at`, and the set of
 * `conversation_activity_days` (days of those instants in the
 * organisation's time zone).
 */
import type pg from 'pg';

export type VerifyResult = { sampled: number; mismatched: number; examples: string[] };

/** Compare `sample` random conversations of `orgId` with their messages. */
export async function verifyDenormalised(client: pg.Client, orgId: string, sample: number): Promise<VerifyResult> {
  const { rows } = await client.query<{ id: string; problems: string[] }>(`
    WITH s AS (
      SELECT c.* FROM conversations c WHERE c.org_id = $1 ORDER BY random() LIMIT $2
    ), m AS (
      SELECT s.id,
        count(*) FILTER (WHERE m.direction = 'inbound' AND m.read_at IS NULL)::int AS unread_count,
        (max(greatest(m.occurred_at, m.status_updated_at)) AT TIME ZONE (SELECT o.time_zone FROM organisations o WHERE o.id = s.org_id))::date AS last_event_day,
        coalesce(max(m.occurred_at) FILTER (WHERE m.direction <> 'internal'), max(m.occurred_at)) AS last_activity_at,
        max(m.occurred_at) FILTER (WHERE m.direction = 'inbound') AS last_inbound_at
      FROM s JOIN messages m ON m.org_id = s.org_id AND m.conversation_id = s.id GROUP BY s.id, s.org_id
    ), d_expected AS (
      SELECT s.id, array_agg(DISTINCT (t.at AT TIME ZONE o.time_zone)::date ORDER BY (t.at AT TIME ZONE o.time_zone)::date) AS days
      FROM s JOIN organisations o ON o.id = s.org_id
      JOIN messages m ON m.org_id = s.org_id AND m.conversation_id = s.id
      CROSS JOIN LATERAL (VALUES (m.occurred_at), (m.status_updated_at)) AS t(at)
      WHERE t.at IS NOT NULL GROUP BY s.id
    ), d_stored AS (
      SELECT s.id, array_agg(d.day ORDER BY d.day) AS days
      FROM s JOIN conversation_activity_days d ON d.org_id = s.org_id AND d.conversation_id = s.id GROUP BY s.id
    )
    SELECT s.id, array_remove(ARRAY[
      CASE WHEN s.unread_count IS DISTINCT FROM m.unread_count THEN format('unread_count %s, messages say %s', s.unread_count, m.unread_count) END,
      CASE WHEN s.last_event_day IS DISTINCT FROM m.last_event_day THEN format('last_event_day %s, messages say %s', s.last_event_day, m.last_event_day) END,
      CASE WHEN s.last_activity_at IS DISTINCT FROM m.last_activity_at THEN format('last_activity_at %s, messages say %s', s.last_activity_at, m.last_activity_at) END,
      CASE WHEN s.last_inbound_at IS DISTINCT FROM m.last_inbound_at THEN format('last_inbound_at %s, messages say %s', s.last_inbound_at, m.last_inbound_at) END,
      CASE WHEN ds.days IS DISTINCT FROM de.days THEN format('activity days %s, messages say %s', ds.days, de.days) END
    ], NULL) AS problems
    FROM s LEFT JOIN m ON m.id = s.id LEFT JOIN d_expected de ON de.id = s.id LEFT JOIN d_stored ds ON ds.id = s.id`,
  [orgId, sample]);
  const bad = rows.filter((r) => r.problems.length > 0);
  return { sampled: rows.length, mismatched: bad.length, examples: bad.slice(0, 3).map((r) => `${r.id}: ${r.problems.join('; ')}`) };
}
