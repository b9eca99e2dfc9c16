/**
 * `POST /v1/conversations/{id}/attachments`: upload a photo to attach to a
 * reply. The body is JSON (`{"filename", "contentBase64"}`: cookie-authenticated
 * writes must be JSON, src/auth/guard.ts), at most 20 MB of file. The photo
 * is checked by content and cleaned (`src/media/accept-upload.ts`) and
 * answered as a media item; send it with
 * `POST /v1/conversations/{id}/messages` `{"mediaIds": [...]}`, where the
 * channel's limits apply (`src/domain/media-limits.ts`).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { acceptUploadedImage, UPLOAD_MAX_BYTES } from '../../media/accept-upload.js';
import { recordAttachment } from '../../media/attachments.js';
import type { MediaStore } from '../../media/store.js';
import { AppError } from '../../server/errors.js';
import { mediaSchema } from '../conversations/conversation.presenter.js';

/** Base64 of somewhat more than the upload limit, so an oversized photo gets the clear `media_too_large`, not a bare body-size error. */
const BASE64_LIMIT = Math.ceil((UPLOAD_MAX_BYTES * 1.6 * 4) / 3);

export async function attachmentRoutes(app: FastifyInstance, { db, store }: { db: Kysely<Database>; store: MediaStore }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/conversations/:id/attachments', {
    config: { capability: ['messages.send', 'messages.send_gated'] },
    bodyLimit: BASE64_LIMIT + 4096,
    schema: {
      summary: 'Upload a photo to attach to a reply',
      description: 'JPG or PNG (HEIC converted when possible), checked by content, at most 20 MB; downscaled to 2048 px, location metadata removed, thumbnail made. Answers the media item to pass in mediaIds when sending.',
      tags: ['messages'],
      security: [{ bearerAuth: [] }],
      params: z.object({ id: z.uuid() }),
      body: z.object({ filename: z.string().max(200).optional(), contentBase64: z.string().min(1).max(BASE64_LIMIT) }),
      response: { 201: mediaSchema },
    },
  }, async (request, reply) => {
    const bytes = Buffer.from(request.body.contentBase64, 'base64');
    if (bytes.length === 0) throw new AppError('validation_failed', 'contentBase64: not base64 file content.');
    const item = await acceptUploadedImage(store, request.orgId, bytes, request.body.filename ? { filename: request.body.filename } : {});
    await withTenant(db, request.orgId, (trx) => recordAttachment(trx, request.orgId, request.params.id, item));
    return reply.status(201).send(item);
  });
}
