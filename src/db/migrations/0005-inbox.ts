/**
 * The inbox (spec: messaging-inbox.txt; issue 5): what the conversation list,
 * its counts, date scopes, search, thread and real-time stream read.
 *
 * - Internal thread entries: `messages.direction = 'internal'` with
 *   `channel = 'internal'` are system entries (`content_type = 'system'`,
 *   e.g. "Linked work order WO-1042") and staff notes (`'note'`). They sit in
 *   the thread in time order but never reach a customer.
 * - Denormalised per conversation, kept by triggers on `messages` so every
 *   write path (webhook ingest functions, composing, delivery, status
 *   callbacks, approvals) keeps them right without knowing:
 *   `unread_count` (inbound messages with no `read_at`) and
 *   `last_event_at` (the latest message, status change or note: the
 *   "any activity" of the date scope; null while there is none). The sort key stays
 *   `last_activity_at` (latest message), so a delivery receipt does not
 *   bubble a conversation to the top.
 * - `conversation_activity_days`: the organisation-local calendar days on
 *   which a conversation had any activity, for date ranges that end before
 *   the conversation's latest activity (a past Custom range). Days use the
 *   organisation's time zone at the time of the activity.
 * - `inbox_events`: the real-time event log (new message, status change,
 *   read, assignment, work-order link, approvals). Each row carries the id
 *   of the transaction that wrote it (`tx`, xid8) so readers can deliver in
 *   a gap-free order: an event is released only once every transaction
 *   older than the reader's snapshot has finished (src/realtime). Inserting
 *   one notifies channel `inbox_events` (LISTEN/NOTIFY fans out to every
 *   server instance). `inbox_event_horizon` records the newest event pruned,
 *   so a client resuming from before it is told to resync.
 * - Search: trigram indexes on names and phone numbers, a full-text index on
 *   message bodies (`messages.body_document`, the body's English tsvector,
 *   stored so ranking does not re-parse bodies), each led by `org_id`
 *   through btree_gin; `messages_by_recency` lets a common word's newest
 *   matches be read in time order.
 *   Search reads the `inbox_search_*` views, not the tables: under
 *   row-level security PostgreSQL uses a condition as an index condition
 *   only when its operator is leakproof, and `LIKE`, pg_trgm's `%`/`<%` and
 *   full-text `@@` are not, so through the tables every search became a
 *   filter over all of the organisation's rows (8 s for a rare word at
 *   1.1M messages). The views expose only the searched columns and filter
 *   on `app_current_org()` — the tenant setting the policies use — so a
 *   query through them still sees only the current organisation; they are
 *   owned by the table owner and are not security barriers, so the search
 *   conditions reach the index scans. Use them for search only, with
 *   built-in operators only: a condition may be evaluated on another
 *   organisation's row before the view's filter discards it.
 * - `conversation_count_deltas`: the All time filter counts (All, Unread,
 *   Unassigned, Mine) without counting every conversation on each request:
 *   a trigger on `conversations` appends a delta row per (organisation,
 *   assignee) whenever a conversation appears, disappears, changes assignee
 *   or starts/stops having unread messages. Insert-only, so concurrent
 *   writers never wait on a shared counter row; the read sums the rows and
 *   `compactConversationCounts` (src/inbox/conversation-counts.ts) folds
 *   them together periodically.
 * - `quick_messages`: the organisation's saved reply snippets.
 */
import { sql, type Kysely } from 'kysely';

/**
 * This migration's `conversation_activity`: bumps the unread count and
 * `last_event_at`, and records the activity day. Migration 0018's `down`
 * restores it.
 */
export async function createConversationActivityV1(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION conversation_activity(p_org_id uuid, p_conversation_id uuid, p_at timestamptz, p_unread_delta integer)
    RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE conversations SET
        unread_count = unread_count + p_unread_delta,
        last_event_at = greatest(last_event_at, p_at)
      WHERE org_id = p_org_id AND id = p_conversation_id;
      INSERT INTO conversation_activity_days (org_id, conversation_id, day)
      SELECT p_org_id, p_conversation_id, (p_at AT TIME ZONE o.time_zone)::date FROM organisations o WHERE o.id = p_org_id
      ON CONFLICT DO NOTHING;
    END $$
  `.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS btree_gin`.execute(db);

  await sql`ALTER TABLE messages DROP CONSTRAINT messages_direction_check`.execute(db);
  await sql`ALTER TABLE messages DROP CONSTRAINT messages_channel_check`.execute(db);
  await sql`
    ALTER TABLE messages
      ADD CONSTRAINT messages_direction_check CHECK (direction IN ('inbound', 'outbound', 'internal')),
      ADD CONSTRAINT messages_channel_check CHECK (channel IN ('sms', 'whatsapp', 'portal', 'voice', 'email', 'internal')),
      ADD CONSTRAINT messages_internal_entries CHECK ((direction = 'internal') = (channel = 'internal')
        AND (direction <> 'internal' OR content_type IN ('system', 'note')))
  `.execute(db);

  await sql`
    ALTER TABLE conversations
      ADD COLUMN unread_count integer NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
      ADD COLUMN last_event_at timestamptz
  `.execute(db);
  await sql`
    UPDATE conversations c SET
      unread_count = (SELECT count(*) FROM messages m WHERE m.org_id = c.org_id AND m.conversation_id = c.id AND m.direction = 'inbound' AND m.read_at IS NULL),
      last_event_at = (SELECT greatest(max(m.occurred_at), max(m.status_updated_at)) FROM messages m WHERE m.org_id = c.org_id AND m.conversation_id = c.id)
  `.execute(db);

  // List pages per read filter, newest activity first (keyset on last_activity_at, id).
  await sql`CREATE INDEX conversations_unread_by_activity ON conversations (org_id, last_activity_at DESC, id DESC) WHERE unread_count > 0`.execute(db);
  await sql`CREATE INDEX conversations_unassigned_by_activity ON conversations (org_id, last_activity_at DESC, id DESC) WHERE assignee_id IS NULL`.execute(db);
  await sql`CREATE INDEX conversations_assignee_by_activity ON conversations (org_id, assignee_id, last_activity_at DESC, id DESC) WHERE assignee_id IS NOT NULL`.execute(db);
  // The four counts of a date scope, read from the index alone.
  await sql`CREATE INDEX conversations_scope_counts ON conversations (org_id, last_event_at) INCLUDE (unread_count, assignee_id, id)`.execute(db);

  await sql`
    CREATE TABLE conversation_activity_days (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      conversation_id uuid NOT NULL,
      day date NOT NULL,
      PRIMARY KEY (org_id, conversation_id, day),
      FOREIGN KEY (org_id, conversation_id) REFERENCES conversations (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);
  await sql`CREATE INDEX conversation_activity_days_by_day ON conversation_activity_days (org_id, day, conversation_id)`.execute(db);
  await sql`
    INSERT INTO conversation_activity_days (org_id, conversation_id, day)
    SELECT DISTINCT m.org_id, m.conversation_id, (t.at AT TIME ZONE o.time_zone)::date
    FROM messages m
    JOIN organisations o ON o.id = m.org_id
    CROSS JOIN LATERAL (VALUES (m.occurred_at), (m.status_updated_at)) AS t(at)
    WHERE t.at IS NOT NULL
  `.execute(db);

  await sql`
    CREATE TABLE inbox_events (
      id bigint GENERATED ALWAYS AS IDENTITY,
      tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      type text NOT NULL CHECK (type IN (
        'message.created', 'message.status', 'conversation.read', 'conversation.assigned',
        'conversation.work_order', 'approval.requested', 'approval.decided')),
      conversation_id uuid,
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tx, id)
    )
  `.execute(db);
  await sql`CREATE INDEX inbox_events_by_time ON inbox_events (created_at)`.execute(db);
  // A resuming client reads its own organisation's events after its cursor.
  await sql`CREATE INDEX inbox_events_by_org ON inbox_events (org_id, tx, id)`.execute(db);
  await sql`
    CREATE TABLE inbox_event_horizon (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      pruned_tx xid8 NOT NULL,
      pruned_id bigint NOT NULL
    )
  `.execute(db);
  await sql`
    CREATE FUNCTION inbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('inbox_events', ''); RETURN NULL; END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER inbox_events_notify AFTER INSERT ON inbox_events
    FOR EACH STATEMENT EXECUTE FUNCTION inbox_events_notify()
  `.execute(db);

  // One event row per type, each carrying the message as the thread shows it (no contact details).
  await sql`
    CREATE FUNCTION record_message_events(m messages, p_types text[]) RETURNS void LANGUAGE sql AS $$
      INSERT INTO inbox_events (org_id, type, conversation_id, payload)
      SELECT m.org_id, t, m.conversation_id, jsonb_build_object(
        'id', m.id, 'conversationId', m.conversation_id, 'direction', m.direction, 'channel', m.channel,
        'contentType', m.content_type, 'body', m.body, 'status', m.status, 'failureReason', m.failure_reason,
        'senderUserId', m.sender_user_id, 'occurredAt', m.occurred_at)
      FROM unnest(p_types) AS t
    $$
  `.execute(db);

  await createConversationActivityV1(db);

  await sql`
    CREATE FUNCTION messages_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM conversation_activity(NEW.org_id, NEW.conversation_id, NEW.occurred_at,
        CASE WHEN NEW.direction = 'inbound' AND NEW.read_at IS NULL THEN 1 ELSE 0 END);
      PERFORM record_message_events(NEW, CASE WHEN NEW.status = 'pending_approval'
        THEN ARRAY['message.created', 'approval.requested'] ELSE ARRAY['message.created'] END);
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`CREATE TRIGGER messages_after_insert AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION messages_after_insert()`.execute(db);

  await sql`
    CREATE FUNCTION messages_after_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM conversation_activity(NEW.org_id, NEW.conversation_id, coalesce(NEW.status_updated_at, now()), 0);
      PERFORM record_message_events(NEW, CASE WHEN OLD.status = 'pending_approval'
        THEN ARRAY['message.status', 'approval.decided'] ELSE ARRAY['message.status'] END);
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER messages_after_status_change AFTER UPDATE OF status ON messages
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION messages_after_status_change()
  `.execute(db);

  await sql`
    CREATE FUNCTION messages_after_read() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE conversations SET unread_count = unread_count
        + CASE WHEN NEW.read_at IS NULL THEN 1 ELSE -1 END
      WHERE org_id = NEW.org_id AND id = NEW.conversation_id;
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER messages_after_read AFTER UPDATE OF read_at ON messages
    FOR EACH ROW WHEN (NEW.direction = 'inbound' AND (OLD.read_at IS NULL) <> (NEW.read_at IS NULL))
    EXECUTE FUNCTION messages_after_read()
  `.execute(db);

  await sql`CREATE INDEX customers_name_search ON customers USING gin (org_id, name gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX customers_phone_search ON customers USING gin (org_id, phone gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX conversations_contact_search ON conversations USING gin (org_id, contact_name gin_trgm_ops, contact_phone gin_trgm_ops)`.execute(db);
  await sql`ALTER TABLE messages ADD COLUMN body_document tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED`.execute(db);
  await sql`CREATE INDEX messages_body_search ON messages USING gin (org_id, body_document)`.execute(db);
  await sql`CREATE INDEX messages_by_recency ON messages (org_id, occurred_at DESC)`.execute(db);
  await sql`CREATE INDEX work_orders_number_search ON work_orders USING gin (org_id, number gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX vehicles_registration_search ON vehicles USING gin (org_id, registration gin_trgm_ops)`.execute(db);

  // Search reads these views (see the module comment): they filter on the tenant setting themselves.
  await sql`
    CREATE VIEW inbox_search_customers AS
    SELECT id, org_id, name, phone FROM customers WHERE org_id = app_current_org()
  `.execute(db);
  await sql`
    CREATE VIEW inbox_search_conversations AS
    SELECT id, org_id, customer_id, contact_name, contact_phone, last_activity_at FROM conversations WHERE org_id = app_current_org()
  `.execute(db);
  await sql`
    CREATE VIEW inbox_search_messages AS
    SELECT id, org_id, conversation_id, body, body_document AS document, occurred_at FROM messages WHERE org_id = app_current_org()
  `.execute(db);
  await sql`GRANT SELECT ON inbox_search_customers, inbox_search_conversations, inbox_search_messages TO torqueflow_app`.execute(db);

  await sql`
    CREATE TABLE quick_messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 80),
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 1600),
      position integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, title)
    )
  `.execute(db);

  // All-time filter counts without counting every conversation: insert-only deltas per
  // (organisation, assignee), summed on read and folded together by compactConversationCounts.
  await sql`
    CREATE TABLE conversation_count_deltas (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      assignee_id uuid,
      conversations integer NOT NULL,
      unread integer NOT NULL
    )
  `.execute(db);
  await sql`CREATE INDEX conversation_count_deltas_by_org ON conversation_count_deltas (org_id) INCLUDE (assignee_id, conversations, unread)`.execute(db);
  await sql`
    INSERT INTO conversation_count_deltas (org_id, assignee_id, conversations, unread)
    SELECT org_id, assignee_id, count(*), count(*) FILTER (WHERE unread_count > 0) FROM conversations GROUP BY org_id, assignee_id
  `.execute(db);
  await sql`
    CREATE FUNCTION conversation_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- A conversation deleted with its organisation leaves nothing to count (its deltas go too).
      IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM organisations WHERE id = OLD.org_id) THEN RETURN NULL; END IF;
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO conversation_count_deltas (org_id, assignee_id, conversations, unread)
        VALUES (OLD.org_id, OLD.assignee_id, -1, -(OLD.unread_count > 0)::int);
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO conversation_count_deltas (org_id, assignee_id, conversations, unread)
        VALUES (NEW.org_id, NEW.assignee_id, 1, (NEW.unread_count > 0)::int);
      END IF;
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER conversation_counts_insert_delete AFTER INSERT OR DELETE ON conversations
    FOR EACH ROW EXECUTE FUNCTION conversation_counts_changed()
  `.execute(db);
  await sql`
    CREATE TRIGGER conversation_counts_update AFTER UPDATE OF assignee_id, unread_count ON conversations
    FOR EACH ROW WHEN (OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR (OLD.unread_count > 0) <> (NEW.unread_count > 0))
    EXECUTE FUNCTION conversation_counts_changed()
  `.execute(db);

  for (const table of ['conversation_activity_days', 'inbox_events', 'quick_messages', 'conversation_count_deltas']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())
    `.execute(db);
  }
  await sql`GRANT SELECT, INSERT ON conversation_activity_days, inbox_events, conversation_count_deltas TO torqueflow_app`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON quick_messages TO torqueflow_app`.execute(db);
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO torqueflow_app`.execute(db);
}
