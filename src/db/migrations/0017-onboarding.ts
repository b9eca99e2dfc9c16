/**
 * Onboarding round (issue 13): a partial index for the reminder backlog
 * gauges (src/reminders/reminder-metrics.ts), which count the
 * `message_reminders` rows still `queued` at every Prometheus scrape; with
 * it the count reads only the waiting rows, however many reminders were
 * ever sent. Keyed by org_id first, like every tenant index.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX message_reminders_queued ON message_reminders (org_id, created_at) WHERE status = 'queued'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX message_reminders_queued`.execute(db);
}
