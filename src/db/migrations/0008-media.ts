/**
 * The media store's index (issue 11 item 7): one `media_objects` row per
 * media item of a message (inbound MMS / WhatsApp media, portal upload, staff
 * attachment), keyed by organisation, with its download state:
 *
 * - `pending`: a download job is fetching it from the provider;
 * - `stored`: the bytes (and an image's thumbnail) are in the media store
 *   under `storage_key` / `thumbnail_key` (`org/{org_id}/media/{id}/…`);
 * - `unavailable`: the provider no longer has it (404/410), shown to staff as
 *   "Photo unavailable".
 *
 * Exactly once: `(org_id, message_id, item_index)` is unique, and download
 * jobs are keyed the same way. A staff attachment is uploaded before the
 * reply exists, so `message_id` is null until the reply attaches it.
 *
 * Real time: a change of state is announced as a `message.media` event
 * (the message with its media), and message events now carry `media`
 * besides everything 0007b-hardening-security made them carry (this
 * redefinition must keep those fields: a later migration that redefines
 * `record_message_events` again must start from this one).
 */
import { sql, type Kysely } from 'kysely';

const EVENT_TYPES_BEFORE = ['message.created', 'message.status', 'conversation.read', 'conversation.assigned', 'conversation.work_order', 'approval.requested', 'approval.decided'];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE media_objects (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      conversation_id uuid NOT NULL,
      message_id uuid,
      item_index integer CHECK (item_index >= 0),
      source text NOT NULL CHECK (source IN ('twilio', 'whatsapp', 'upload')),
      provider_ref text,
      state text NOT NULL CHECK (state IN ('pending', 'stored', 'unavailable')),
      content_type text NOT NULL,
      size_bytes integer CHECK (size_bytes >= 0),
      width integer,
      height integer,
      storage_key text,
      thumbnail_key text,
      failure_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      stored_at timestamptz,
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, message_id, item_index),
      FOREIGN KEY (org_id, conversation_id) REFERENCES conversations (org_id, id) ON DELETE CASCADE,
      FOREIGN KEY (org_id, message_id) REFERENCES messages (org_id, id) ON DELETE CASCADE,
      CHECK ((state = 'stored') = (storage_key IS NOT NULL)),
      CHECK ((message_id IS NULL) = (item_index IS NULL))
    )
  `.execute(db);
  await sql`CREATE INDEX media_objects_by_conversation ON media_objects (org_id, conversation_id)`.execute(db);
  await sql`ALTER TABLE media_objects ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY tenant_isolation ON media_objects
    USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())
  `.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE ON media_objects TO torqueflow_app`.execute(db);

  await sql`ALTER TABLE inbox_events DROP CONSTRAINT inbox_events_type_check`.execute(db);
  await sql`ALTER TABLE inbox_events ADD CONSTRAINT inbox_events_type_check CHECK (type IN (${sql.join([...EVENT_TYPES_BEFORE, 'message.media'].map((t) => sql.lit(t)))}))`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION record_message_events(m messages, p_types text[]) RETURNS void LANGUAGE sql AS $$
      INSERT INTO inbox_events (org_id, type, conversation_id, payload)
      SELECT m.org_id, t, m.conversation_id, jsonb_build_object(
        'id', m.id, 'conversationId', m.conversation_id, 'direction', m.direction, 'channel', m.channel,
        'contentType', m.content_type, 'body', m.body, 'status', m.status, 'failureReason', m.failure_reason,
        'providerErrorCode', m.provider_error_code, 'providerErrorText', m.provider_error_text,
        'senderUserId', m.sender_user_id, 'senderTokenId', m.sender_token_id, 'occurredAt', m.occurred_at, 'media', m.media)
      FROM unnest(p_types) AS t
    $$
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM inbox_events WHERE type = 'message.media'`.execute(db);
  await sql`ALTER TABLE inbox_events DROP CONSTRAINT inbox_events_type_check`.execute(db);
  await sql`ALTER TABLE inbox_events ADD CONSTRAINT inbox_events_type_check CHECK (type IN (${sql.join(EVENT_TYPES_BEFORE.map((t) => sql.lit(t)))}))`.execute(db);
  await sql`DROP TABLE media_objects`.execute(db);
}
