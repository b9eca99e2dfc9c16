/**
 * Staff attachments: a photo is uploaded to a conversation first (stored,
 * with a `media_objects` row whose `message_id` is null), then a reply names
 * it in `mediaIds` and it becomes that message's media. An attachment is
 * used once: claiming it locks its row, and attaching sets its message.
 */
import type { MediaItem } from '../db/schema.js';
import type { TenantTx } from '../db/tenant.js';
import { AppError } from '../server/errors.js';
import { recordMessageMedia } from './media-objects.js';

/**
 * Record an uploaded, stored photo as an attachment waiting for a reply on `conversationId`.
 * @throws AppError not_found when the conversation is not this organisation's
 */
export async function recordAttachment(trx: TenantTx, orgId: string, conversationId: string, item: MediaItem): Promise<void> {
  const conversation = await trx.selectFrom('conversations').select('id').where('org_id', '=', orgId).where('id', '=', conversationId).executeTakeFirst();
  if (!conversation) throw new AppError('not_found', 'No such conversation in this organisation.');
  await recordMessageMedia(trx, { orgId, conversationId, messageId: null, items: [item], source: 'upload' });
}

/**
 * The attachments `mediaIds` (in that order), locked for this reply.
 * @throws AppError attachment_not_found when one is unknown, on another conversation, not stored or already sent
 */
export async function claimAttachments(trx: TenantTx, orgId: string, conversationId: string, mediaIds: readonly string[]): Promise<MediaItem[]> {
  if (mediaIds.length === 0) return [];
  if (new Set(mediaIds).size !== mediaIds.length) throw new AppError('attachment_not_found', 'The same photo is attached twice.');
  const rows = await trx.selectFrom('media_objects')
    .select(['id', 'content_type', 'size_bytes', 'width', 'height', 'thumbnail_key'])
    .where('org_id', '=', orgId).where('conversation_id', '=', conversationId).where('id', 'in', [...mediaIds])
    .where('message_id', 'is', null).where('state', '=', 'stored')
    .forUpdate().execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return mediaIds.map((id) => {
    const r = byId.get(id);
    if (!r) throw new AppError('attachment_not_found', 'An attached photo was not found on this conversation, or was already sent: attach it again.');
    return {
      mediaId: r.id, state: 'stored', contentType: r.content_type, size: r.size_bytes ?? 0,
      ...(r.width ? { width: r.width, height: r.height ?? 0 } : {}), thumbnail: r.thumbnail_key !== null,
    };
  });
}

/** Make claimed attachments the media of `messageId`, in order. */
export async function attachToMessage(trx: TenantTx, orgId: string, messageId: string, items: readonly MediaItem[]): Promise<void> {
  for (const [index, item] of items.entries()) {
    await trx.updateTable('media_objects').set({ message_id: messageId, item_index: index })
      .where('org_id', '=', orgId).where('id', '=', item.mediaId!).where('message_id', 'is', null).execute();
  }
}
