/**
 * Inbound media at ingest (Twilio MMS, WhatsApp media): each item gets a
 * media id and state `pending` before the message is recorded; when the
 * message is new (not a provider retry), its `media_objects` rows and one
 * download job per item are written in the same transaction. A duplicate
 * webhook records nothing, so however many retries arrive, concurrently or
 * not, each item is downloaded by one job.
 */
import { randomUUID } from 'node:crypto';
import type { TenantTx } from '../db/tenant.js';
import type { InboundMessage, RecordedInbound } from '../ingest/record-inbound.js';
import type { JobQueue } from '../jobs/queue.js';
import { recordMessageMedia } from './media-objects.js';
import { enqueueMediaDownload } from './queues.js';

/** `msg` with a fresh media id and `state: 'pending'` on every media item. */
export function withPendingMedia(msg: InboundMessage): InboundMessage {
  if (msg.media.length === 0) return msg;
  return { ...msg, media: msg.media.map((m) => ({ ...m, mediaId: randomUUID(), state: 'pending' as const })) };
}

/**
 * After `recordInbound`: rows and download jobs for a new message's media.
 * @param phoneNumberId WhatsApp: the business number it came to
 */
export async function queueInboundMedia(trx: TenantTx, queue: JobQueue, orgId: string, msg: InboundMessage, recorded: RecordedInbound, phoneNumberId?: string): Promise<void> {
  if (recorded.duplicate || !recorded.messageId || msg.media.length === 0) return;
  await recordMessageMedia(trx, { orgId, conversationId: recorded.conversationId, messageId: recorded.messageId, items: msg.media, source: msg.provider });
  for (const item of msg.media) {
    if (item.mediaId) await enqueueMediaDownload(trx, queue, { orgId, mediaId: item.mediaId, ...(phoneNumberId ? { phoneNumberId } : {}) });
  }
}
