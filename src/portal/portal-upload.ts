/**
 * Reading a portal message with photos (`multipart/form-data`: fields `body`
 * and `clientKey`, files `photos`) and accepting its photos into the media
 * store (src/media/accept-upload.ts: JPG/PNG by content, HEIC converted or
 * refused, downscaled, metadata stripped, thumbnail). Rules
 * (portal-messages.txt: "up to 5 per message, JPG/PNG"; issue 11 item 4):
 * every file is checked and every refusal reported per file
 * (`{ index, filename, code, message }`); when any file is refused the
 * message is not stored and the photos already put in the store are removed,
 * so nothing is kept.
 */
import type { FastifyRequest } from 'fastify';
import type { MediaItem } from '../db/schema.js';
import { acceptUploadedImage, MAX_PHOTOS_PER_MESSAGE, UPLOAD_MAX_BYTES } from '../media/accept-upload.js';
import { originalKey, thumbnailKey } from '../media/object-keys.js';
import type { MediaStore } from '../media/store.js';
import { AppError } from '../server/errors.js';

/** @fastify/multipart limits for the portal: one file beyond the limit is read, so it can be refused by name. */
export const PORTAL_MULTIPART_LIMITS = { fileSize: UPLOAD_MAX_BYTES, files: MAX_PHOTOS_PER_MESSAGE + 1, fields: 4, fieldSize: 16 * 1024, parts: MAX_PHOTOS_PER_MESSAGE + 5 };

export type FileRefusal = { index: number; filename: string; code: string; message: string };

export type PortalUpload = { fields: Record<string, string>; files: Array<{ filename: string; bytes: Buffer | null; refusal: FileRefusal | null }> };

/** Read every part; a file over the size limit is drained and refused, never buffered whole. */
export async function readPortalUpload(request: FastifyRequest): Promise<PortalUpload> {
  const fields: Record<string, string> = {};
  const files: PortalUpload['files'] = [];
  for await (const part of request.parts({ limits: PORTAL_MULTIPART_LIMITS })) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    const index = files.length;
    const filename = (part.filename || `photo ${index + 1}`).replace(/[\u0000-\u001f]/g, '').slice(0, 200);
    const chunks: Buffer[] = [];
    for await (const chunk of part.file) chunks.push(chunk as Buffer);
    if (part.file.truncated) {
      files.push({ filename, bytes: null, refusal: { index, filename, code: 'media_too_large', message: `${filename}: photos can be at most ${UPLOAD_MAX_BYTES / 1024 / 1024} MB.` } });
    } else if (index >= MAX_PHOTOS_PER_MESSAGE) {
      files.push({ filename, bytes: null, refusal: { index, filename, code: 'too_many_photos', message: `${filename}: you can attach up to ${MAX_PHOTOS_PER_MESSAGE} photos per message.` } });
    } else {
      files.push({ filename, bytes: Buffer.concat(chunks), refusal: null });
    }
  }
  return { fields, files };
}

/** The refusal of a whole message because of its files (422 `photo_refused`, with `files`). */
export class PhotosRefused extends AppError {
  readonly files: FileRefusal[];
  constructor(files: FileRefusal[]) {
    super('photo_refused', files.length === 1 ? files[0]!.message : `${files.length} photos could not be sent: ${files.map((f) => f.message).join(' ')}`);
    this.files = files;
  }
}

/**
 * Accept every photo into the store, or none.
 * @returns the media items, in upload order
 * @throws PhotosRefused listing each refused file (the accepted ones are removed again)
 */
export async function acceptPortalPhotos(store: MediaStore, orgId: string, upload: PortalUpload): Promise<MediaItem[]> {
  const refusals: FileRefusal[] = upload.files.flatMap((f) => (f.refusal ? [f.refusal] : []));
  const items: MediaItem[] = [];
  for (const [index, file] of upload.files.entries()) {
    if (!file.bytes) continue;
    try {
      items.push(await acceptUploadedImage(store, orgId, file.bytes, { filename: file.filename }));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      refusals.push({ index, filename: file.filename, code: err.code, message: `${file.filename}: ${err.message}` });
    }
  }
  if (refusals.length === 0) return items;
  await Promise.all(items.flatMap((item) => [store.delete(originalKey(orgId, item.mediaId!)), store.delete(thumbnailKey(orgId, item.mediaId!))]));
  throw new PhotosRefused(refusals);
}
