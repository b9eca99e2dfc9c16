/**
 * Voice, second round (issue 14 items 1, 3, 4):
 *
 * - Call recordings move to the media store (src/media): `call_recordings`
 *   becomes metadata only, one row per (organisation, RecordingSid) pointing
 *   at its `media_objects` row (`source = 'recording'`, no message item: the
 *   recording is served only by `GET /v1/calls/{id}/recording`, never by the
 *   general media routes or the portal). The bytes live in the store under
 *   `org/{org_id}/recordings/{RecordingSid}`.
 *   Rows written before this migration still hold their audio in `audio`;
 *   the start-up pass src/voice/move-legacy-recordings.ts moves each into
 *   the store and clears it, so exactly one of `audio` / `media_id` is set
 *   and, once it has run, no audio bytes are left in PostgreSQL.
 * - `voice_settings.escalation_number`: the number a call is passed on to
 *   when nobody on the ring list answers (the owner's mobile, an answering
 *   service); a call that number picks up ends as outcome `escalation`.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE media_objects DROP CONSTRAINT media_objects_source_check`.execute(db);
  await sql`ALTER TABLE media_objects ADD CONSTRAINT media_objects_source_check CHECK (source IN ('twilio', 'whatsapp', 'upload', 'recording'))`.execute(db);

  await sql`ALTER TABLE call_recordings ADD COLUMN media_id uuid`.execute(db);
  await sql`ALTER TABLE call_recordings ADD COLUMN size_bytes integer CHECK (size_bytes >= 0)`.execute(db);
  await sql`ALTER TABLE call_recordings ALTER COLUMN audio DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE call_recordings ADD CONSTRAINT call_recordings_media FOREIGN KEY (org_id, media_id) REFERENCES media_objects (org_id, id)`.execute(db);
  await sql`ALTER TABLE call_recordings ADD CONSTRAINT call_recordings_audio_or_media CHECK ((audio IS NULL) <> (media_id IS NULL))`.execute(db);
  await sql`CREATE UNIQUE INDEX call_recordings_one_per_media ON call_recordings (org_id, media_id) WHERE media_id IS NOT NULL`.execute(db);
  // The start-up move clears `audio` in each garage's tenant transaction (the table has FORCE ROW
  // LEVEL SECURITY since 0014); the application never updates rows otherwise.
  await sql`GRANT UPDATE (audio, media_id, size_bytes) ON call_recordings TO torqueflow_app`.execute(db);

  await sql`ALTER TABLE voice_settings ADD COLUMN escalation_number text CHECK (escalation_number ~ '^\\+[1-9][0-9]{6,14}$')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`REVOKE UPDATE (audio, media_id, size_bytes) ON call_recordings FROM torqueflow_app`.execute(db);
  await sql`ALTER TABLE voice_settings DROP COLUMN escalation_number`.execute(db);
  await sql`DELETE FROM call_recordings WHERE audio IS NULL`.execute(db);
  await sql`DROP INDEX call_recordings_one_per_media`.execute(db);
  await sql`ALTER TABLE call_recordings DROP CONSTRAINT call_recordings_audio_or_media`.execute(db);
  await sql`ALTER TABLE call_recordings DROP CONSTRAINT call_recordings_media`.execute(db);
  await sql`ALTER TABLE call_recordings ALTER COLUMN audio SET NOT NULL`.execute(db);
  await sql`ALTER TABLE call_recordings DROP COLUMN size_bytes`.execute(db);
  await sql`ALTER TABLE call_recordings DROP COLUMN media_id`.execute(db);
  await sql`DELETE FROM media_objects WHERE source = 'recording'`.execute(db);
  await sql`ALTER TABLE media_objects DROP CONSTRAINT media_objects_source_check`.execute(db);
  await sql`ALTER TABLE media_objects ADD CONSTRAINT media_objects_source_check CHECK (source IN ('twilio', 'whatsapp', 'upload'))`.execute(db);
}
