/**
 * Hardening (issue 10, security items):
 *
 * - Audit logs refuse TRUNCATE too (item 8): a statement-level BEFORE
 *   TRUNCATE trigger on `consent_audit_log` and `staff_audit_log`, for
 *   everyone, the table owner included (the row triggers of 0002/0003 only
 *   cover UPDATE and DELETE).
 * - Staff emails are unique per organisation, not across garages (item 13):
 *   `POST /v1/staff` must not reveal that another garage has the address.
 *   Sign-in picks the account whose password matches (src/auth/sign-in.ts).
 * - Provider failures (item 5): `failure_reason` holds our own human reason
 *   for the provider's code; the provider's raw text, which quotes the
 *   recipient's number or address, goes to `provider_error_text` (messages)
 *   and `error_text` (status callbacks), shown only with
 *   `customers.contact.view`. Message events carry both, and the event
 *   stream redacts the raw text like any contact detail.
 * - API tokens send as themselves (item 12): `messages.sender_token_id`.
 * - Password-reset requests are rate limited in the database (item 14):
 *   `password_reset_requests` (email, client address, time), not a tenant
 *   table (it is read before any organisation is known, like
 *   `sign_in_attempts`).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['consent_audit_log', 'staff_audit_log']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION ${sql.raw(`${table}_is_immutable`)}()
    `.execute(db);
  }

  await sql`ALTER TABLE staff_users DROP CONSTRAINT staff_users_email_key`.execute(db);
  await sql`ALTER TABLE staff_users ADD CONSTRAINT staff_users_org_email_key UNIQUE (org_id, email)`.execute(db);
  // Sign-in and password reset look accounts up by email alone.
  await sql`CREATE INDEX staff_users_by_email ON staff_users (email)`.execute(db);

  await sql`ALTER TABLE messages ADD COLUMN provider_error_text text`.execute(db);
  await sql`ALTER TABLE message_status_events ADD COLUMN error_text text`.execute(db);

  await sql`ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_org_id_id_key UNIQUE (org_id, id)`.execute(db);
  await sql`
    ALTER TABLE messages ADD COLUMN sender_token_id uuid,
      ADD CONSTRAINT messages_sender_token_fkey FOREIGN KEY (org_id, sender_token_id) REFERENCES api_tokens (org_id, id)
  `.execute(db);

  await sql`
    CREATE OR REPLACE FUNCTION record_message_events(m messages, p_types text[]) RETURNS void LANGUAGE sql AS $$
      INSERT INTO inbox_events (org_id, type, conversation_id, payload)
      SELECT m.org_id, t, m.conversation_id, jsonb_build_object(
        'id', m.id, 'conversationId', m.conversation_id, 'direction', m.direction, 'channel', m.channel,
        'contentType', m.content_type, 'body', m.body, 'status', m.status, 'failureReason', m.failure_reason,
        'providerErrorCode', m.provider_error_code, 'providerErrorText', m.provider_error_text,
        'senderUserId', m.sender_user_id, 'senderTokenId', m.sender_token_id, 'occurredAt', m.occurred_at)
      FROM unnest(p_types) AS t
    $$
  `.execute(db);

  await sql`
    CREATE TABLE password_reset_requests (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email text NOT NULL,
      ip text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX password_reset_requests_by_email ON password_reset_requests (email, requested_at)`.execute(db);
  await sql`CREATE INDEX password_reset_requests_by_ip ON password_reset_requests (ip, requested_at)`.execute(db);
  await sql`CREATE INDEX sign_in_attempts_by_email_ip ON sign_in_attempts (email, ip, attempted_at)`.execute(db);
}
