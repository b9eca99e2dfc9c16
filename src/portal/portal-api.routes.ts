/**
 * The portal's JSON API under `/portal/api/`, for the customer signed in by
 * a magic link (cookie `tf_portal`, src/portal/portal-session.ts): their one
 * conversation, nothing else. Errors are `{"error":{"code","message"}}`;
 * without a valid session every route answers `401 portal_signed_out`.
 *
 * - `GET  /portal/api/me`: garage name and time zone, customer name, unread badge.
 * - `GET  /portal/api/messages?before=&limit=`: a page of the thread, oldest→newest, `earlierCursor` for "Load earlier messages".
 * - `GET  /portal/api/messages/{id}`: one message (404 when it is not the customer's to see).
 * - `POST /portal/api/messages`: the customer writes: JSON `{ body, clientKey }`, or
 *   `multipart/form-data` with fields `body`, `clientKey` and up to 5 files `photos`
 *   (refused per file with `422 photo_refused` and `error.files`; portal-upload.ts).
 * - `GET  /portal/api/media/{mediaId}` and `…/thumbnail`: photos of the customer's conversation.
 * - `POST /portal/api/read`: the customer has the thread open: garage messages are seen.
 * - `GET  /portal/api/preferences`, `PUT /portal/api/preferences/{category}` `{ granted }`:
 *   Communication Preferences, each change audited with source `portal_preference`.
 * - `GET  /portal/api/whatsapp-verification`: the customer's latest WhatsApp verification (no code), or null;
 *   `POST /portal/api/whatsapp-verification/check` `{ code }`: the customer types the code they were sent;
 *   correct → WhatsApp consent, source `otp_verification`, stamped with IP and user agent
 *   (src/consent/whatsapp-verification.ts; the 5-check limit holds here too).
 * - `POST /portal/api/sign-out`.
 * - `GET  /portal/api/events`: the customer's real-time stream (portal-events.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { decodeCursor } from '../api/conversations/conversation.queries.js';
import type { Config } from '../config.js';
import { loadConsents, setConsent } from '../consent/consent.repository.js';
import { checkVerification, currentVerification } from '../consent/whatsapp-verification.js';
import type { ConsentCategory, Database, MediaItem } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import { portalPreferences } from '../domain/portal-preferences.js';
import { scheduleAiReply } from '../ai/queue.js';
import type { JobQueue } from '../jobs/queue.js';
import type { EventDispatcher } from '../realtime/dispatcher.js';
import { AppError } from '../server/errors.js';
import { recordPortalMessage } from './customer-message.js';
import { servePortalEvents } from './portal-events.js';
import { markSeenByCustomer, portalMessage, portalThreadPage, portalUnreadCount } from './portal-messages.js';
import { endPortalSession, findPortalSession, PORTAL_COOKIE, type PortalSession } from './portal-session.js';
import { alertPortalMessage } from './portal-alert.js';
import { acceptPortalPhotos, PhotosRefused, PORTAL_MULTIPART_LIMITS, readPortalUpload } from './portal-upload.js';
import multipart from '@fastify/multipart';
import { sendStoredObject } from '../api/media/media.routes.js';
import { readMedia } from '../media/media-access.js';
import { recordMessageMedia } from '../media/media-objects.js';
import type { MediaStore } from '../media/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    portal: PortalSession;
  }
}

type Deps = { db: Kysely<Database>; config: Config; queue: JobQueue; dispatcher: EventDispatcher; store: MediaStore };

/** Longest message a customer may write, in characters. */
export const PORTAL_MESSAGE_MAX = 2000;

const CATEGORY = z.enum(['transactional', 'service_reminders', 'marketing', 'whatsapp']);

async function garage(trx: TenantTx, orgId: string) {
  return trx.selectFrom('organisations').select(['name', 'time_zone']).where('id', '=', orgId).executeTakeFirstOrThrow();
}

async function preferencesOf(trx: TenantTx, session: PortalSession) {
  if (!session.customerId) throw new AppError('not_found', 'Preferences belong to a customer record; ask the garage to add you as a customer.');
  const consents = await loadConsents(trx, session.orgId, session.customerId);
  const active = await trx.selectFrom('work_orders').select('id').where('org_id', '=', session.orgId).where('customer_id', '=', session.customerId)
    .where('status', 'not in', ['completed', 'cancelled']).limit(1).executeTakeFirst();
  return portalPreferences(consents, Boolean(active));
}

export async function portalApiRoutes(app: FastifyInstance, { db, config, queue, dispatcher, store }: Deps): Promise<void> {
  await app.register(multipart, { limits: PORTAL_MULTIPART_LIMITS, throwFileSizeLimit: false });
  app.decorateRequest('portal', null as unknown as PortalSession);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const token = request.cookies[PORTAL_COOKIE];
    const session = token ? await findPortalSession(db, token, new Date()) : null;
    if (!session) throw new AppError('portal_signed_out', 'Your portal session has ended: open the link in the latest text from your garage.');
    request.portal = session;
  });
  const tenant = <T>(request: FastifyRequest, fn: (trx: TenantTx, s: PortalSession) => Promise<T>) => withTenant(db, request.portal.orgId, (trx) => fn(trx, request.portal));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;

  r.get('/portal/api/me', { schema: hide }, async (request) => tenant(request, async (trx, s) => {
    const org = await garage(trx, s.orgId);
    const customer = s.customerId ? await trx.selectFrom('customers').select('name').where('org_id', '=', s.orgId).where('id', '=', s.customerId).executeTakeFirst() : undefined;
    return { orgName: org.name, timeZone: org.time_zone, customerName: customer?.name ?? null, unreadCount: await portalUnreadCount(trx, s.orgId, s.conversationId), hasPreferences: Boolean(s.customerId) };
  }));

  r.get('/portal/api/messages', { schema: { ...hide, querystring: z.object({ before: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(30) }) } }, async (request) => {
    const before = request.query.before ? decodeCursor(request.query.before) : null;
    if (request.query.before && !before) throw new AppError('validation_failed', 'before: not a cursor this API issued.');
    return tenant(request, async (trx, s) => portalThreadPage(trx, s.orgId, s.conversationId, (await garage(trx, s.orgId)).name, request.query.limit, before));
  });

  r.get('/portal/api/messages/:id', { schema: { ...hide, params: z.object({ id: z.uuid() }) } }, async (request) => tenant(request, async (trx, s) => {
    const message = await portalMessage(trx, s.orgId, s.conversationId, request.params.id, (await garage(trx, s.orgId)).name);
    if (!message) throw new AppError('not_found', 'No such message in your conversation.');
    return message;
  }));

  const written = z.object({ body: z.string().max(PORTAL_MESSAGE_MAX), clientKey: z.uuid() });
  r.post('/portal/api/messages', { schema: hide }, async (request, reply) => {
    let input: z.infer<typeof written>;
    let media: MediaItem[] = [];
    if (request.isMultipart()) {
      const upload = await readPortalUpload(request);
      const parsed = written.safeParse({ body: upload.fields.body ?? '', clientKey: upload.fields.clientKey });
      if (!parsed.success) throw new AppError('validation_failed', 'body and clientKey are required (clientKey: a UUID the page makes per message).');
      input = parsed.data;
      try {
        media = await acceptPortalPhotos(store, request.portal.orgId, upload);
      } catch (err) {
        if (!(err instanceof PhotosRefused)) throw err;
        return reply.status(422).send({ error: { code: err.code, message: err.message, files: err.files } });
      }
    } else {
      const parsed = written.safeParse(request.body);
      if (!parsed.success) throw new AppError('validation_failed', 'Send { body, clientKey } (clientKey: a UUID the page makes per message).');
      input = parsed.data;
    }
    const body = input.body.replace(/\u0000/g, '').trim();
    if (!body && media.length === 0) throw new AppError('validation_failed', 'Write a message or attach a photo first.');
    const now = new Date();
    const view = await tenant(request, async (trx, s) => {
      const stored = await recordPortalMessage(trx, s.orgId, s.conversationId, { body, media, clientKey: input.clientKey }, now);
      if (!stored.duplicate) {
        await recordMessageMedia(trx, { orgId: s.orgId, conversationId: s.conversationId, messageId: stored.id, items: media, source: 'upload' });
        await alertPortalMessage(trx, queue, s, { body, photos: media.length }, config);
        // The AI receptionist answers portal messages as it answers texts (spec: "WhatsApp + SMS + portal").
        await scheduleAiReply(trx, queue, config, s.orgId, s.conversationId);
      }
      return portalMessage(trx, s.orgId, s.conversationId, stored.id, (await garage(trx, s.orgId)).name);
    });
    return reply.status(201).send(view);
  });

  for (const [suffix, variant] of [['', 'original'], ['/thumbnail', 'thumbnail']] as const) {
    r.get(`/portal/api/media/:mediaId${suffix}`, { schema: { ...hide, params: z.object({ mediaId: z.string().max(64) }) } }, async (request, reply) => {
      const s = request.portal;
      const object = s.customerId ? await readMedia(db, store, s.orgId, request.params.mediaId, variant, { kind: 'customer', customerId: s.customerId }) : null;
      return sendStoredObject(reply, object);
    });
  }

  r.post('/portal/api/read', { schema: hide }, async (request) => tenant(request, async (trx, s) => {
    const marked = await markSeenByCustomer(trx, s.orgId, s.conversationId, new Date());
    return { marked, unreadCount: await portalUnreadCount(trx, s.orgId, s.conversationId) };
  }));

  r.get('/portal/api/preferences', { schema: hide }, async (request) => tenant(request, async (trx, s) => ({ preferences: await preferencesOf(trx, s) })));

  r.put('/portal/api/preferences/:category', {
    schema: { ...hide, params: z.object({ category: CATEGORY }), body: z.object({ granted: z.boolean() }) },
  }, async (request) => tenant(request, async (trx, s) => {
    const category = request.params.category as ConsentCategory;
    const current = (await preferencesOf(trx, s)).find((p) => p.category === category)!;
    if (current.locked) throw new AppError('preference_locked', current.lockedReason ?? 'This preference cannot be changed now.');
    await setConsent(trx, s.orgId, s.customerId!, category, request.body.granted, {
      source: 'portal_preference', ipAddress: request.ip, userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
    });
    return { preferences: await preferencesOf(trx, s) };
  }));

  const customerOf = (s: PortalSession) => {
    if (!s.customerId) throw new AppError('not_found', 'Verification belongs to a customer record; ask the garage to add you as a customer.');
    return s.customerId;
  };
  r.get('/portal/api/whatsapp-verification', { schema: hide }, async (request) => tenant(request, async (trx, s) => ({
    verification: s.customerId ? await currentVerification(trx, s.orgId, s.customerId) : null,
  })));
  r.post('/portal/api/whatsapp-verification/check', { schema: { ...hide, body: z.object({ code: z.string().max(20) }) } }, async (request) => ({
    verification: await checkVerification(db, request.portal.orgId, customerOf(request.portal), request.body.code, {
      ipAddress: request.ip, userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
    }),
  }));

  r.post('/portal/api/sign-out', { schema: hide }, async (request, reply) => {
    await tenant(request, (trx, s) => endPortalSession(trx, s.orgId, s.sessionId));
    reply.clearCookie(PORTAL_COOKIE, { path: '/' });
    return { signedOut: true };
  });

  r.get('/portal/api/events', { schema: { ...hide, querystring: z.object({ lastEventId: z.string().max(64).optional() }) } }, async (request, reply) => {
    await servePortalEvents(db, request, reply, dispatcher, request.query.lastEventId);
  });
}
