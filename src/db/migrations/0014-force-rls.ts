/**
 * Row-level security binds the table owner too (`FORCE ROW LEVEL SECURITY`)
 * on every tenant table the owner path never reads or writes (issue 10,
 * item 19).
 *
 * The application connects as the owner of the database and its tables; in
 * production that owner is not a superuser (README, "Running in
 * production"). Tenant work switches to `torqueflow_app`
 * (src/db/tenant.ts), whose policies bind it to one garage. The owner
 * otherwise bypasses those policies, which the look-ups made before any
 * garage is known need (webhook routing, sign-in, sessions, tokens, portal
 * links, reminder unsubscribes, the real-time reader, count compaction, the
 * CLI). On the tables below none of those run, so the owner is bound too:
 * a statement run on the pool by mistake, outside `withTenant`, sees and
 * changes no garage's rows (`app.org_id` unset matches none), instead of
 * every garage's. Superusers and `BYPASSRLS` roles still bypass it, as
 * PostgreSQL always lets them (tests connect as `postgres`).
 *
 * The tables the owner path needs, with the reason each, are listed in
 * test/db/owner-role.test.ts, which fails when a tenant table is in neither
 * list.
 *
 * A later data migration that changes rows of these tables across garages
 * runs as the owner and must lift this for its own transaction first
 * (`ALTER TABLE … NO FORCE ROW LEVEL SECURITY`, then `FORCE` again), or it
 * silently changes nothing. Foreign-key checks and cascades are unaffected
 * (PostgreSQL runs them without row security).
 */
import { sql, type Kysely } from 'kysely';

/** Tenant tables the owner path never reads or writes. */
const FORCED_TABLES = [
  'ai_credit_ledger',
  'ai_replies',
  'call_events',
  'call_recordings',
  'consent_audit_log',
  'consent_defaults',
  'conversation_activity_days',
  'conversations',
  'customer_consents',
  'customers',
  'media_objects',
  'message_status_events',
  'message_templates',
  'messages',
  'quick_messages',
  'reminder_opt_outs',
  'sms_opt_outs',
  'staff_audit_log',
  'staff_call_phones',
  'vehicles',
  'voice_settings',
  'whatsapp_verifications',
  'work_orders',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of FORCED_TABLES) await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of FORCED_TABLES) await sql`ALTER TABLE ${sql.table(table)} NO FORCE ROW LEVEL SECURITY`.execute(db);
}
