/**
 * Moving a media item out of `pending`, once: the `media_objects` row is
 * updated only while still pending (a second worker on the same item changes
 * nothing), the message's `media` item gets the new state, and a
 * `message.media` event carries the message to every open staff (and portal)
 * stream.
 */
import { sql } from 'kysely';
import type { MediaItem } from '../db/schema.js';
import type { TenantTx } from '../db/tenant.js';

export type Settled =
  | { state: 'stored'; storageKey: string; thumbnailKey: string | null; contentType: string; size: number; width: number | null; height: number | null }
  | { state: 'unavailable'; reason: string };

/**
 * @returns false when the item was not pending any more (someone settled it first)
 */
export async function settleMedia(trx: TenantTx, orgId: string, mediaId: string, outcome: Settled): Promise<boolean> {
  const stored = outcome.state === 'stored';
  const updated = await trx.updateTable('media_objects').set(stored
    ? { state: 'stored', storage_key: outcome.storageKey, thumbnail_key: outcome.thumbnailKey, content_type: outcome.contentType, size_bytes: outcome.size, width: outcome.width, height: outcome.height, stored_at: new Date(), failure_reason: null }
    : { state: 'unavailable', failure_reason: outcome.reason.slice(0, 300) })
    .where('org_id', '=', orgId).where('id', '=', mediaId).where('state', '=', 'pending')
    .returning(['message_id', 'item_index']).executeTakeFirst();
  if (!updated?.message_id || updated.item_index === null) return Boolean(updated);
  const patch: Partial<MediaItem> = stored
    ? { state: 'stored', contentType: outcome.contentType, size: outcome.size, thumbnail: outcome.thumbnailKey !== null, ...(outcome.width ? { width: outcome.width, height: outcome.height! } : {}) }
    : { state: 'unavailable' };
  await sql`
    WITH changed AS (
      UPDATE messages SET media = jsonb_set(media, ARRAY[${String(updated.item_index)}], (media -> ${updated.item_index}::int) || ${JSON.stringify(patch)}::jsonb)
      WHERE org_id = ${orgId}::uuid AND id = ${updated.message_id}::uuid AND jsonb_array_length(media) > ${updated.item_index}::int
      RETURNING *
    )
    SELECT record_message_events(changed, ARRAY['message.media']) FROM changed
  `.execute(trx);
  return true;
}
