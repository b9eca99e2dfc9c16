/**
 * The `media_objects` rows (migration 0008) that tie a message's media items
 * to the store, inside the caller's tenant transaction.
 */
import type { MediaItem } from '../db/schema.js';
import type { TenantTx } from '../db/tenant.js';
import { originalKey, thumbnailKey } from './object-keys.js';

export type MessageMedia = {
  orgId: string;
  conversationId: string;
  /** The message the items belong to; null for a staff attachment not yet sent. */
  messageId: string | null;
  /** Items as stored in `messages.media`; those without `mediaId` are skipped. */
  items: MediaItem[];
  source?: 'twilio' | 'whatsapp' | 'upload';
};

/**
 * Insert one row per item with a `mediaId`: `stored` items point at their
 * store keys, `pending` ones carry the provider reference for the download job.
 * Item positions are the indexes in `items`. Idempotent per (message, index).
 */
export async function recordMessageMedia(trx: TenantTx, m: MessageMedia): Promise<void> {
  const rows = m.items.flatMap((item, index) => {
    if (!item.mediaId) return [];
    const stored = item.state === 'stored';
    return [{
      org_id: m.orgId, id: item.mediaId, conversation_id: m.conversationId,
      message_id: m.messageId, item_index: m.messageId ? index : null,
      source: m.source ?? 'upload', provider_ref: item.url ?? item.providerMediaId ?? null,
      state: item.state ?? 'pending', content_type: item.contentType,
      size_bytes: item.size ?? null, width: item.width ?? null, height: item.height ?? null,
      storage_key: stored ? originalKey(m.orgId, item.mediaId) : null,
      thumbnail_key: stored && item.thumbnail ? thumbnailKey(m.orgId, item.mediaId) : null,
      stored_at: stored ? new Date() : null,
    }];
  });
  if (rows.length === 0) return;
  await trx.insertInto('media_objects').values(rows).onConflict((oc) => oc.doNothing()).execute();
}
