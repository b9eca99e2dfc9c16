/**
 * Reading stored media:
 * - `GET /v1/media/{mediaId}` and `GET /v1/media/{mediaId}/thumbnail` for
 *   staff (session cookie or API token, capability `messages.view`, tenant
 *   transaction): the photo as stored, or its JPEG thumbnail;
 * - `GET /media/signed/{orgId}/{mediaId}?expires&sig` for providers fetching
 *   outbound MMS media (`src/media/signed-url.ts`), no session.
 * Another garage's media, a missing id, an item not (yet) stored and a bad
 * or expired signature all answer 404 `not_found`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { readMedia, type MediaVariant } from '../../media/media-access.js';
import { verifySignedMedia } from '../../media/signed-url.js';
import type { MediaStore, StoredObject } from '../../media/store.js';
import { AppError } from '../../server/errors.js';

type Deps = { db: Kysely<Database>; config: Config; store: MediaStore };

/**
 * Send a stored object: its type, length, private caching (the URL is per item and immutable), no sniffing.
 * @param cacheControl overrides the caching (a call recording: `private, no-store`)
 */
export function sendStoredObject(reply: FastifyReply, object: StoredObject | null, cacheControl = 'private, max-age=3600, immutable'): FastifyReply {
  if (!object) throw new AppError('not_found', 'No such media.');
  return reply
    .header('content-type', object.contentType)
    .header('content-length', String(object.size))
    .header('cache-control', cacheControl)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'")
    .send(object.body);
}

const params = z.object({ mediaId: z.string().max(64) });

/** Staff routes (register inside the guarded `/v1` scope). */
export async function mediaRoutes(app: FastifyInstance, { db, store }: Omit<Deps, 'config'>): Promise<void> {
  const read = (variant: MediaVariant) => async (request: { orgId: string; params: { mediaId: string } }, reply: FastifyReply) =>
    sendStoredObject(reply, await readMedia(db, store, request.orgId, request.params.mediaId, variant, { kind: 'staff' }));
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get('/v1/media/:mediaId', {
    config: { capability: 'messages.view' },
    schema: { summary: 'A stored photo or file of a message', tags: ['messages'], security: [{ bearerAuth: [] }], params },
  }, read('original'));
  typed.get('/v1/media/:mediaId/thumbnail', {
    config: { capability: 'messages.view' },
    schema: { summary: "A stored photo's thumbnail (JPEG, at most 320 px)", tags: ['messages'], security: [{ bearerAuth: [] }], params },
  }, read('thumbnail'));
}

/** The provider-facing signed route (outside the guarded scope). */
export async function signedMediaRoutes(app: FastifyInstance, { db, config, store }: Deps): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/media/signed/:orgId/:mediaId', {
    schema: { hide: true, params: z.object({ orgId: z.uuid(), mediaId: z.uuid() }), querystring: z.object({ expires: z.coerce.number().int(), sig: z.string().max(128) }) },
  }, async (request, reply) => {
    const { orgId, mediaId } = request.params;
    if (!verifySignedMedia(config, orgId, mediaId, request.query.expires, request.query.sig)) throw new AppError('not_found', 'No such media, or the link has expired.');
    return sendStoredObject(reply, await readMedia(db, store, orgId, mediaId, 'original', { kind: 'staff' }));
  });
}
