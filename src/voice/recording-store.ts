/**
 * Call recordings in the media store (issue 14 item 4; migration 0015):
 * the bytes under `org/{orgId}/recordings/{RecordingSid}` through the store
 * contract (src/media/store.ts: local folder or S3), and per recording one
 * `media_objects` row (`source = 'recording'`, stored, tied to the call's
 * conversation but to no message item) plus one `call_recordings` row
 * (metadata: RecordingSid, call, content type, size, media id).
 *
 * The key is a function of the RecordingSid, so a second put of the same
 * recording (a job re-run after a crash between put and commit) replaces
 * the object with the same bytes instead of leaving an orphan.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import { mediaKey, type MediaStore, type StoredObject } from '../media/store.js';

/** Where a recording's bytes live in the media store. */
export function recordingKey(orgId: string, recordingSid: string): string {
  return mediaKey(orgId, 'recordings', recordingSid);
}

/** Whether this recording is already stored (its metadata row exists). */
export async function isRecordingStored(trx: TenantTx, orgId: string, recordingSid: string): Promise<boolean> {
  const row = await trx.selectFrom('call_recordings').select('recording_sid').where('org_id', '=', orgId).where('recording_sid', '=', recordingSid).executeTakeFirst();
  return Boolean(row);
}

/**
 * Record a recording whose bytes were put at `recordingKey`, once: inside the
 * caller's transaction, with the call locked (so concurrent jobs serialise).
 * @param conversationId the conversation the call's entry is in
 * @returns false when it was already recorded (nothing written)
 */
export async function recordStoredRecording(trx: TenantTx, input: { orgId: string; callId: string; conversationId: string; recordingSid: string; contentType: string; size: number }): Promise<boolean> {
  if (await isRecordingStored(trx, input.orgId, input.recordingSid)) return false;
  const media = await trx.insertInto('media_objects').values({
    org_id: input.orgId, conversation_id: input.conversationId, message_id: null, item_index: null, source: 'recording',
    provider_ref: input.recordingSid, state: 'stored', content_type: input.contentType, size_bytes: input.size, width: null, height: null,
    storage_key: recordingKey(input.orgId, input.recordingSid), thumbnail_key: null, stored_at: new Date(),
  }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('call_recordings').values({
    org_id: input.orgId, recording_sid: input.recordingSid, call_id: input.callId, content_type: input.contentType,
    audio: null, media_id: media.id, size_bytes: input.size,
  }).execute();
  return true;
}

/**
 * A recording's media rows follow its call to another conversation
 * (Reassign), before the conversation it left may be deleted.
 */
export async function moveCallRecordings(trx: TenantTx, orgId: string, callId: string, toConversationId: string): Promise<void> {
  await trx.updateTable('media_objects').set({ conversation_id: toConversationId })
    .where('org_id', '=', orgId)
    .where('id', 'in', (eb) => eb.selectFrom('call_recordings').select('media_id').where('org_id', '=', orgId).where('call_id', '=', callId).where('media_id', 'is not', null).$narrowType<{ media_id: string }>())
    .execute();
}

/**
 * The newest stored recording of a call, for a reader of organisation
 * `orgId` (tenant transaction: another garage's call does not exist).
 * @param by the call id, or one RecordingSid
 * @returns null when there is none (not downloaded yet, sandbox, absent)
 */
export async function readRecording(db: Kysely<Database>, store: MediaStore, orgId: string, by: { callId: string } | { recordingSid: string }): Promise<StoredObject | null> {
  const row = await withTenant(db, orgId, (trx) => {
    let q = trx.selectFrom('call_recordings as r')
      .innerJoin('media_objects as mo', (j) => j.onRef('mo.org_id', '=', 'r.org_id').onRef('mo.id', '=', 'r.media_id'))
      .select(['mo.storage_key', 'mo.state'])
      .where('r.org_id', '=', orgId).where('mo.source', '=', 'recording');
    q = 'callId' in by ? q.where('r.call_id', '=', by.callId) : q.where('r.recording_sid', '=', by.recordingSid);
    return q.orderBy('r.created_at', 'desc').executeTakeFirst();
  });
  if (!row?.storage_key || row.state !== 'stored') return null;
  return store.get(row.storage_key);
}
