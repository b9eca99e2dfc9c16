/**
 * Accepting a photo someone uploads (a customer in the portal, staff
 * attaching to a reply): checked, cleaned and stored, ready to go in
 * `messages.media`.
 *
 * Use from the portal (two steps, so image work never holds a transaction):
 *
 * ```ts
 * // 1. per file, outside any transaction (throws AppError with a per-file code):
 * const item = await acceptUploadedImage(store, orgId, bytes, { filename });
 * // 2. in the tenant transaction that inserts the message (media: [item, …]):
 * await recordMessageMedia(trx, { orgId, conversationId, messageId, items });
 * ```
 *
 * `acceptUploadedImage(store: MediaStore, orgId: string, bytes: Buffer,
 *   options?: { filename?: string }): Promise<MediaItem>`
 * returns `{ mediaId, state: 'stored', contentType: 'image/jpeg'|'image/png',
 * size, width, height, thumbnail: true, filename? }`.
 *
 * Rules (portal-messages.txt: "up to 5 per message, JPG/PNG"; provider-protocols.md §11b):
 * - at most `UPLOAD_MAX_BYTES` (20 MB) in: `media_too_large` (413);
 * - JPG or PNG by content; HEIC converted to JPEG when sharp decodes it, else
 *   `heic_not_supported` (415); anything else `image_type_not_accepted` (415);
 * - downscaled to 2048 px on the long edge, location and all other metadata
 *   stripped, a 320 px thumbnail stored (see `image.ts`).
 * The per-message count (5) is the caller's rule: `MAX_PHOTOS_PER_MESSAGE`.
 * Bytes stored for an upload whose message is never committed stay in the
 * store unreferenced (no row points at them; nobody can fetch them).
 */
import { randomUUID } from 'node:crypto';
import type { MediaItem } from '../db/schema.js';
import { AppError } from '../server/errors.js';
import { prepareImage } from './image.js';
import { originalKey, thumbnailKey } from './object-keys.js';
import type { MediaStore } from './store.js';

/** Largest upload accepted before downscaling, in bytes. */
export const UPLOAD_MAX_BYTES = 20 * 1024 * 1024;
/** portal-messages.txt: "up to 5 per message". */
export const MAX_PHOTOS_PER_MESSAGE = 5;

/**
 * Check, clean and store one uploaded photo.
 * @param bytes the file as uploaded
 * @throws AppError media_too_large | image_type_not_accepted | heic_not_supported | image_unreadable
 */
export async function acceptUploadedImage(store: MediaStore, orgId: string, bytes: Buffer, options: { filename?: string } = {}): Promise<MediaItem> {
  if (bytes.length > UPLOAD_MAX_BYTES) {
    throw new AppError('media_too_large', `Photos can be at most ${UPLOAD_MAX_BYTES / 1024 / 1024} MB; this one is ${(bytes.length / 1024 / 1024).toFixed(1)} MB.`);
  }
  const image = await prepareImage(bytes, 'upload');
  const mediaId = randomUUID();
  await store.put(thumbnailKey(orgId, mediaId), image.thumbnail, 'image/jpeg');
  await store.put(originalKey(orgId, mediaId), image.bytes, image.contentType);
  return {
    mediaId, state: 'stored', contentType: image.contentType, size: image.bytes.length,
    width: image.width, height: image.height, thumbnail: true,
    ...(options.filename ? { filename: options.filename.slice(0, 200) } : {}),
  };
}
