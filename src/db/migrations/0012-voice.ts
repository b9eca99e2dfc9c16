/**
 * Voice calls in the inbox (issue 14; spec: messaging-inbox.txt, voice
 * section; Twilio facts: provider-protocols.md §6, §11a).
 *
 * - `calls`: one row per Twilio CallSid per organisation (unique key, so
 *   concurrent first callbacks create one call), pointing at its thread
 *   entry (`messages`, channel `voice`, content type `call`). The call's
 *   state (status, outcome, duration, who answered, recording, transcript)
 *   is recomputed from its events by the pure rule src/domain/call-state.ts
 *   and copied into the entry's `metadata.call`, which the row preview and
 *   the call card read.
 * - `call_events`: every callback we accepted, exactly once per
 *   (organisation, call, event key): `status:{SequenceNumber}`, `dial`,
 *   `leg:{DialCallSid}:{CallStatus}`, `recording:{RecordingSid}:{status}`,
 *   `transcription:{TranscriptionSid}`, `stt:{RecordingSid}`, `escalation`.
 *   Append-only for the application role (the call's timeline).
 * - `call_recordings`: the downloaded audio, exactly once per RecordingSid,
 *   in the database so every instance can serve it.
 * - `voice_settings`: per garage, who the incoming-call TwiML rings (staff
 *   phones or one SIP address), for how long, and the voicemail greeting.
 * - `staff_call_phones`: the phone Twilio rings first when a staff member
 *   places a call from a thread.
 * - `ingest_route_twilio_call`: which garage a later callback of a known
 *   call belongs to (by CallSid, or by our call id in the callback URL for
 *   a call we placed before Twilio named it).
 * - `conversations.anonymous_call_sid`: a withheld-number call (and a call
 *   detached to anonymous) gets its own conversation keyed on the call, so
 *   duplicate callbacks still find one conversation.
 * - Triggers on `messages` keep the inbox state right at the database
 *   depth: a call entry's metadata change emits `call.updated` (and counts
 *   as activity); moving an entry to another conversation (Reassign) moves
 *   its unread count, its activity and emits `call.moved` for both
 *   conversations.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE conversations ADD COLUMN anonymous_call_sid text`.execute(db);
  await sql`CREATE UNIQUE INDEX conversations_one_per_anonymous_call ON conversations (org_id, anonymous_call_sid) WHERE anonymous_call_sid IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE calls (
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      call_sid text CHECK (call_sid ~ '^CA[0-9a-fA-F]{32}$'),
      message_id uuid NOT NULL,
      direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
      caller_withheld boolean NOT NULL DEFAULT false,
      status text NOT NULL DEFAULT 'queued',
      outcome text CHECK (outcome IN ('answered', 'missed', 'voicemail', 'escalation', 'errored')),
      duration_seconds integer,
      answered_at timestamptz,
      ended_at timestamptz,
      answered_by text,
      recording_sid text,
      recording_status text,
      recording_duration_seconds integer,
      recording_url text,
      transcript text,
      transcript_source text CHECK (transcript_source IN ('twilio', 'speech_to_text')),
      resolved_at timestamptz,
      resolved_by_user_id uuid,
      placed_by_user_id uuid,
      started_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, call_sid),
      UNIQUE (org_id, message_id),
      FOREIGN KEY (org_id, message_id) REFERENCES messages (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);

  await sql`
    CREATE TABLE call_events (
      id bigint GENERATED ALWAYS AS IDENTITY,
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      call_id uuid NOT NULL,
      event_key text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('status', 'dial', 'leg', 'recording', 'transcription', 'speech_to_text', 'escalation')),
      sequence_number integer,
      call_status text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, call_id, event_key),
      FOREIGN KEY (org_id, call_id) REFERENCES calls (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);

  await sql`
    CREATE TABLE call_recordings (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      recording_sid text NOT NULL,
      call_id uuid NOT NULL,
      content_type text NOT NULL,
      audio bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, recording_sid),
      FOREIGN KEY (org_id, call_id) REFERENCES calls (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);

  await sql`
    CREATE TABLE voice_settings (
      org_id uuid PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
      ring_numbers text[] NOT NULL DEFAULT '{}' CHECK (cardinality(ring_numbers) <= 10),
      sip_address text CHECK (sip_address ~ '^sips?:[^\\s<>"]+$'),
      ring_timeout_seconds integer NOT NULL DEFAULT 20 CHECK (ring_timeout_seconds BETWEEN 5 AND 60),
      voicemail_greeting text NOT NULL DEFAULT 'Sorry, we cannot take your call right now. Please leave a message after the beep.'
        CHECK (length(voicemail_greeting) BETWEEN 1 AND 500),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE staff_call_phones (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, user_id)
    )
  `.execute(db);

  // Callbacks after the first are routed by their call (recording callbacks carry no number):
  // read across organisations as the owner, like ingest_route_twilio (src/ingest/channel-routing.ts).
  await sql`
    CREATE FUNCTION ingest_route_twilio_call(p_call_sid text, p_call_id uuid, p_account_sid text)
    RETURNS TABLE (org_id uuid, auth_token text)
    LANGUAGE sql STABLE SECURITY INVOKER AS $$
      SELECT ci.org_id, ci.auth_token
      FROM calls c
      JOIN channel_identities ci ON ci.org_id = c.org_id AND ci.provider = 'twilio' AND ci.auth_token IS NOT NULL
      WHERE c.call_sid = p_call_sid OR c.id = p_call_id
      ORDER BY (c.call_sid = p_call_sid) DESC, (ci.account_sid IS NOT DISTINCT FROM p_account_sid) DESC, ci.kind DESC
      LIMIT 1
    $$
  `.execute(db);

  // The event types `call.updated` and `call.moved` need no constraint change: 0011 checks the type's shape, not a list.
  // A call entry changed (status, outcome, recording, transcript, resolution): one event, and activity now.
  await sql`
    CREATE FUNCTION messages_after_call_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM conversation_activity(NEW.org_id, NEW.conversation_id, now(), 0);
      PERFORM record_message_events(NEW, ARRAY['call.updated']);
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER messages_after_call_change AFTER UPDATE OF metadata ON messages
    FOR EACH ROW WHEN (NEW.channel = 'voice' AND OLD.conversation_id = NEW.conversation_id AND OLD.metadata IS DISTINCT FROM NEW.metadata)
    EXECUTE FUNCTION messages_after_call_change()
  `.execute(db);

  // An entry moved to another conversation (Reassign): its unread count and activity go with it; both conversations hear of it.
  await sql`
    CREATE FUNCTION messages_after_move() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      v_unread integer := CASE WHEN NEW.direction = 'inbound' AND NEW.read_at IS NULL THEN 1 ELSE 0 END;
    BEGIN
      UPDATE conversations c SET
        unread_count = c.unread_count - CASE WHEN OLD.direction = 'inbound' AND OLD.read_at IS NULL THEN 1 ELSE 0 END,
        last_activity_at = coalesce((SELECT max(m.occurred_at) FROM messages m WHERE m.org_id = OLD.org_id AND m.conversation_id = OLD.conversation_id), c.last_activity_at)
      WHERE c.org_id = OLD.org_id AND c.id = OLD.conversation_id;
      PERFORM conversation_activity(OLD.org_id, OLD.conversation_id, now(), 0);
      UPDATE conversations c SET
        last_activity_at = greatest(c.last_activity_at, NEW.occurred_at),
        last_channel = CASE WHEN c.last_inbound_at IS NULL OR NEW.occurred_at >= c.last_inbound_at THEN NEW.channel ELSE c.last_channel END,
        last_inbound_at = CASE WHEN NEW.direction = 'inbound' THEN greatest(c.last_inbound_at, NEW.occurred_at) ELSE c.last_inbound_at END
      WHERE c.org_id = NEW.org_id AND c.id = NEW.conversation_id;
      PERFORM conversation_activity(NEW.org_id, NEW.conversation_id, now(), v_unread);
      INSERT INTO inbox_events (org_id, type, conversation_id, payload) VALUES
        (OLD.org_id, 'call.moved', OLD.conversation_id, jsonb_build_object('id', NEW.id, 'fromConversationId', OLD.conversation_id, 'toConversationId', NEW.conversation_id)),
        (NEW.org_id, 'call.moved', NEW.conversation_id, jsonb_build_object('id', NEW.id, 'fromConversationId', OLD.conversation_id, 'toConversationId', NEW.conversation_id));
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER messages_after_move AFTER UPDATE OF conversation_id ON messages
    FOR EACH ROW WHEN (OLD.conversation_id IS DISTINCT FROM NEW.conversation_id)
    EXECUTE FUNCTION messages_after_move()
  `.execute(db);

  for (const table of ['calls', 'call_events', 'call_recordings', 'voice_settings', 'staff_call_phones']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())
    `.execute(db);
  }
  await sql`GRANT SELECT, INSERT, UPDATE ON calls, voice_settings, staff_call_phones TO torqueflow_app`.execute(db);
  await sql`GRANT SELECT, INSERT ON call_events, call_recordings TO torqueflow_app`.execute(db);
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO torqueflow_app`.execute(db);
}
