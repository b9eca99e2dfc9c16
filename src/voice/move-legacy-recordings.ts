/**
 * The start-up pass that empties the audio column of `call_recordings`
 * (migration 0015): recordings downloaded before recordings moved to the
 * media store still hold their bytes in PostgreSQL; each is put in the
 * store at `recordingKey`, given its `media_objects` row, and its `audio`
 * cleared, in one transaction per recording. Idempotent; several instances
 * starting at once are harmless (the row is locked and re-checked, and a
 * second put writes the same bytes to the same key). A maintenance step
 * across all organisations, before the server accepts requests; each
 * organisation's rows are read in its own tenant transaction, since
 * `call_recordings` has FORCE ROW LEVEL SECURITY (migration 0014) and a
 * non-superuser owner sees none of its rows outside a tenant.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { MediaStore } from '../media/store.js';
import { withTenant } from '../db/tenant.js';
import { recordingKey } from './recording-store.js';

/** @returns how many recordings were moved into the store */
export async function moveLegacyRecordings(db: Kysely<Database>, store: MediaStore): Promise<number> {
  const organisations = await db.selectFrom('organisations').select('id').execute();
  const legacy: Array<{ orgId: string; recordingSid: string }> = [];
  for (const { id: orgId } of organisations) {
    const rows = await withTenant(db, orgId, (trx) => trx.selectFrom('call_recordings').select('recording_sid').where('org_id', '=', orgId).where('audio', 'is not', null).execute());
    legacy.push(...rows.map((r) => ({ orgId, recordingSid: r.recording_sid })));
  }
  let moved = 0;
  for (const { orgId, recordingSid } of legacy) {
    moved += await withTenant(db, orgId, async (trx) => {
      const row = await trx.selectFrom('call_recordings as r')
        .innerJoin('calls as k', (j) => j.onRef('k.org_id', '=', 'r.org_id').onRef('k.id', '=', 'r.call_id'))
        .innerJoin('messages as m', (j) => j.onRef('m.org_id', '=', 'k.org_id').onRef('m.id', '=', 'k.message_id'))
        .select(['r.audio', 'r.content_type', 'r.call_id', 'm.conversation_id'])
        .where('r.org_id', '=', orgId).where('r.recording_sid', '=', recordingSid).where('r.audio', 'is not', null)
        .forUpdate('r').executeTakeFirst();
      if (!row?.audio) return 0;
      const audio = Buffer.from(row.audio); // PGlite answers bytea as a Uint8Array
      const key = recordingKey(orgId, recordingSid);
      await store.put(key, audio, row.content_type);
      const media = await trx.insertInto('media_objects').values({
        org_id: orgId, conversation_id: row.conversation_id, message_id: null, item_index: null, source: 'recording', provider_ref: recordingSid,
        state: 'stored', content_type: row.content_type, size_bytes: audio.length, width: null, height: null, storage_key: key, thumbnail_key: null, stored_at: new Date(),
      }).returning('id').executeTakeFirstOrThrow();
      await trx.updateTable('call_recordings').set({ audio: null, media_id: media.id, size_bytes: audio.length })
        .where('org_id', '=', orgId).where('recording_sid', '=', recordingSid).execute();
      return 1;
    });
  }
  return moved;
}
