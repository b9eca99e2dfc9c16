/**
 * Settings round (issue 13):
 *
 * - `messages.reminder_sent`: the spec's flag (portal-messaging-fallback.txt,
 *   "The message is flagged reminder_sent so the email only fires once per
 *   message").
 * - `message_reminders`: one row per staff message a reminder was decided for,
 *   primary key (org_id, message_id): the claim that makes a reminder exactly
 *   once across scans, workers and restarts; `unsubscribe_token` is the
 *   one-click List-Unsubscribe token of the email.
 * - `reminder_opt_outs`: customers who stopped unread-message reminders.
 * - `inbox_events.type` also accepts `settings.quick_messages` and
 *   `settings.templates` (the composer refetches its lists on them). The
 *   check becomes a pattern so later migrations adding event types need not
 *   repeat this list.
 * - torqueflow_app may UPDATE the organisation's settings columns (only its
 *   own row, by the existing row policy).
 * - `channel_identities.api_key_sid` / `api_key_secret`: a Twilio API key used
 *   instead of the auth token for sending. Secret columns (`auth_token`,
 *   `access_token`, `api_key_secret`) hold AES-256-GCM envelopes
 *   (`src/channels/credentials/`); the plaintext values stored before this
 *   round are encrypted at start-up by `encryptStoredCredentials`, because the
 *   key lives in the environment, not in the database.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE messages ADD COLUMN reminder_sent boolean NOT NULL DEFAULT false`.execute(db);
  await sql`
    CREATE TABLE message_reminders (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      message_id uuid NOT NULL,
      conversation_id uuid NOT NULL,
      customer_id uuid,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'skipped')),
      skip_reason text,
      unsubscribe_token uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      PRIMARY KEY (org_id, message_id),
      FOREIGN KEY (org_id, message_id) REFERENCES messages (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);
  await sql`
    CREATE TABLE reminder_opt_outs (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      customer_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, customer_id),
      FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);
  // The reminder scan looks for unread staff messages not yet reminded.
  await sql`
    CREATE INDEX messages_reminder_due ON messages (org_id, occurred_at)
    WHERE direction = 'outbound' AND reminder_sent = false AND sender_user_id IS NOT NULL AND read_at IS NULL
  `.execute(db);
  for (const table of ['message_reminders', 'reminder_opt_outs']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())
    `.execute(db);
  }
  await sql`GRANT SELECT, INSERT, UPDATE ON message_reminders TO torqueflow_app`.execute(db);
  await sql`GRANT SELECT, INSERT, DELETE ON reminder_opt_outs TO torqueflow_app`.execute(db);

  await sql`ALTER TABLE inbox_events DROP CONSTRAINT IF EXISTS inbox_events_type_check`.execute(db);
  await sql`ALTER TABLE inbox_events ADD CONSTRAINT inbox_events_type_check CHECK (type ~ '^[a-z_]+\\.[a-z_]+$')`.execute(db);

  await sql`ALTER TABLE channel_identities ADD COLUMN api_key_sid text, ADD COLUMN api_key_secret text`.execute(db);

  // Settings > Communication saves these in the tenant transaction (the row policy limits it to the own organisation).
  await sql`
    GRANT UPDATE (reminders_enabled, reminder_delay_hours, ai_enabled, ai_instructions, opening_hours, portal_notification_phone, portal_reply_sms)
    ON organisations TO torqueflow_app
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`REVOKE UPDATE ON organisations FROM torqueflow_app`.execute(db);
  await sql`ALTER TABLE channel_identities DROP COLUMN api_key_sid, DROP COLUMN api_key_secret`.execute(db);
  await sql`ALTER TABLE inbox_events DROP CONSTRAINT inbox_events_type_check`.execute(db);
  await sql`DROP TABLE reminder_opt_outs`.execute(db);
  await sql`DROP TABLE message_reminders`.execute(db);
  await sql`ALTER TABLE messages DROP COLUMN reminder_sent`.execute(db);
}
