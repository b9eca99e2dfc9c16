/**
 * The unread-reminder backlog in Prometheus (issue 13): reminders claimed by
 * a scan (a `message_reminders` row, status `queued`) whose email has not
 * been sent or skipped yet, across organisations, read at scrape time from
 * the partial index of migration 0017.
 *
 * | Metric | Type |
 * |---|---|
 * | `torqueflow_reminders_queued` | gauge: reminders waiting for their email |
 * | `torqueflow_reminders_oldest_queued_age_seconds` | gauge: how long the oldest has waited (0 when none) |
 */
import { sql, type Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/schema.js';

/** Register the two gauges on `registry`; each scrape runs one query for both. */
export function registerReminderMetrics(registry: Registry, db: Kysely<Database>): void {
  let reading: Promise<{ queued: number; oldest_seconds: number | null }> | null = null;
  const backlog = () => {
    reading ??= sql<{ queued: number; oldest_seconds: number | null }>`
      SELECT count(*)::int AS queued, extract(epoch FROM now() - min(created_at))::float8 AS oldest_seconds
      FROM message_reminders WHERE status = 'queued'`.execute(db)
      .then((r) => r.rows[0] ?? { queued: 0, oldest_seconds: null })
      .finally(() => { setImmediate(() => { reading = null; }); });
    return reading;
  };
  new Gauge({
    name: 'torqueflow_reminders_queued', help: 'Unread-message reminders claimed whose email is not sent or skipped yet (all organisations).', registers: [registry],
    async collect() { this.set((await backlog()).queued); },
  });
  new Gauge({
    name: 'torqueflow_reminders_oldest_queued_age_seconds', help: 'Seconds the oldest queued unread-message reminder has waited (0 when none).', registers: [registry],
    async collect() { this.set(Math.max(0, (await backlog()).oldest_seconds ?? 0)); },
  });
}
