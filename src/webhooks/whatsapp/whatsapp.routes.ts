/**
 * WhatsApp Cloud API webhooks at `/whatsapp/webhook`.
 *
 * GET answers Meta's verification handshake. POST checks the signature over
 * the raw bytes (403 `invalid_signature`), parses and validates the whole
 * batch (400 `malformed_payload`; a single malformed message is left out
 * and logged instead, and every text is cleaned of NUL and unpaired
 * surrogates, so one bad field never holds other customers' messages), then stores every message and status of
 * every entry and change in ONE transaction: the batch is committed
 * completely before the 200, or not acknowledged at all. The transaction's
 * first statement finds the organisations owning the batch's numbers and
 * business accounts and enters one of them (src/ingest/channel-routing.ts);
 * writes then follow in one canonical order. A batch whose
 * `phone_number_id`s are all unknown gets 404 `unknown_destination`; items
 * for an unknown number inside an otherwise known batch are logged and
 * skipped, so one stray number cannot hold the garage's messages in Meta's
 * retry queue. A `failed` status with error 131047 queues the bridge SMS in
 * the same transaction (src/sending/window-closed-by-meta.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { enterTenant } from '../../db/tenant.js';
import { routeWhatsApp } from '../../ingest/channel-routing.js';
import { applyTemplateStatus, type TemplateStatusUpdate } from '../../ingest/template-status.js';
import { recordInbound, type InboundMessage } from '../../ingest/record-inbound.js';
import { scheduleAiReply } from '../../ai/queue.js';
import { applyDeliveryStatus, type DeliveryStatusEvent } from '../../ingest/apply-delivery-status.js';
import { AppError } from '../../server/errors.js';
import type { JobQueue } from '../../jobs/queue.js';
import { queueInboundMedia, withPendingMedia } from '../../media/inbound-media.js';
import { enqueueMetaClosedWindow, META_WINDOW_CLOSED } from '../../sending/window-closed-by-meta.js';
import { whatsAppEnvelope, whatsAppMessage, whatsAppMessagesValue, whatsAppTemplateStatusValue, type WhatsAppMessagesValue } from './payload.schema.js';
import { parseWhatsAppMessage, parseWhatsAppStatus } from './parse.js';
import { whatsAppCallbackPrice, type PriceTable } from '../../domain/message-prices.js';
import { isValidWhatsAppSignature } from './signature.js';
import { cleanDeep } from '../text.js';

type Deps = { db: Kysely<Database>; config: Config; queue: JobQueue };

/** What one `messages` change asks us to store, for one phone number. */
type ChangeWork = { phoneNumberId: string; messages: InboundMessage[]; statuses: DeliveryStatusEvent[] };

/** A template review result for the WhatsApp Business Account `wabaId`. */
type TemplateWork = TemplateStatusUpdate & { wabaId: string };

/**
 * The messages of one change that can be stored; a message that is malformed
 * (bad shape, a sender that is not a WhatsApp id) is left out and counted, since
 * Meta retrying the batch could never fix it and the others must not wait.
 */
function parseMessages(value: WhatsAppMessagesValue, skipped: string[]): InboundMessage[] {
  const parsed: InboundMessage[] = [];
  for (const [i, raw] of (value.messages ?? []).entries()) {
    const m = whatsAppMessage.safeParse(raw);
    if (!m.success) {
      skipped.push(`messages[${i}]: ${m.error.issues[0]?.path.join('.') ?? '?'} ${m.error.issues[0]?.message ?? 'invalid'}`);
      continue;
    }
    try {
      parsed.push(parseWhatsAppMessage(m.data, value));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      skipped.push(`messages[${i}]: ${err.code}`);
    }
  }
  return parsed;
}

function parseBatch(raw: Buffer): { work: ChangeWork[]; templates: TemplateWork[]; ignoredFields: string[]; skipped: string[] } {
  let json: unknown;
  try {
    json = cleanDeep(JSON.parse(raw.toString('utf8')));
  } catch {
    throw new AppError('malformed_payload', 'Body is not valid JSON.');
  }
  const envelope = whatsAppEnvelope.safeParse(json);
  if (!envelope.success) throw new AppError('malformed_payload', `Not a WhatsApp Business Account webhook: ${envelope.error.issues[0]?.message ?? 'invalid'}.`);
  const work: ChangeWork[] = [];
  const templates: TemplateWork[] = [];
  const ignoredFields: string[] = [];
  const skipped: string[] = [];
  for (const entry of envelope.data.entry) {
    for (const change of entry.changes) {
      if (change.field === 'message_template_status_update') {
        const value = whatsAppTemplateStatusValue.safeParse(change.value);
        if (!value.success || !entry.id) throw new AppError('malformed_payload', 'Invalid message_template_status_update change.');
        const v = value.data;
        templates.push({ wabaId: entry.id, providerTemplateId: v.message_template_id, name: v.message_template_name, language: v.message_template_language, event: v.event, reason: v.reason ?? null });
        continue;
      }
      if (change.field !== 'messages') {
        ignoredFields.push(change.field);
        continue;
      }
      const value = whatsAppMessagesValue.safeParse(change.value);
      if (!value.success) {
        const issue = value.error.issues[0];
        throw new AppError('malformed_payload', `Invalid messages change at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}.`);
      }
      work.push({
        phoneNumberId: value.data.metadata.phone_number_id,
        messages: parseMessages(value.data, skipped),
        statuses: (value.data.statuses ?? []).map(parseWhatsAppStatus).filter((s): s is DeliveryStatusEvent => s !== null),
      });
    }
  }
  return { work, templates, ignoredFields, skipped };
}

/** The status with the table's price of Meta's `pricing` category as its cost, when it has one. */
function withCallbackPrice(st: DeliveryStatusEvent, table: PriceTable): DeliveryStatusEvent {
  const price = st.cost === null ? whatsAppCallbackPrice((st.pricing as { pricing?: unknown } | null)?.pricing, table) : null;
  return price ? { ...st, cost: price.amount, costCurrency: price.currency } : st;
}

export async function whatsAppRoutes(app: FastifyInstance, { db, config, queue }: Deps): Promise<void> {
  // The raw bytes, for the signature; the app-wide JSON parser is replaced in this scope.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 4 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/whatsapp/webhook', { schema: { hide: true } }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    if (q['hub.mode'] === 'subscribe' && q['hub.verify_token'] === config.WHATSAPP_VERIFY_TOKEN && q['hub.challenge']) {
      return reply.status(200).type('text/plain').send(q['hub.challenge']);
    }
    throw new AppError('forbidden', 'Verification token does not match.');
  });

  app.post('/whatsapp/webhook', { schema: { hide: true } }, async (request, reply) => {
    const raw = request.body;
    if (!Buffer.isBuffer(raw)) throw new AppError('unsupported_media_type', 'Expected an application/json body.');
    const header = request.headers['x-hub-signature-256'];
    if (!isValidWhatsAppSignature(config.WHATSAPP_APP_SECRET, raw, typeof header === 'string' ? header : undefined)) {
      throw new AppError('invalid_signature', 'X-Hub-Signature-256 does not match this request body.');
    }
    const { work, templates, ignoredFields, skipped } = parseBatch(raw);
    // Meta names the pricing category but no amount: price it from the table (MESSAGE_PRICES).
    for (const w of work) w.statuses = w.statuses.map((st) => withCallbackPrice(st, config.MESSAGE_PRICES));
    if (ignoredFields.length > 0) request.log.info({ fields: ignoredFields }, 'whatsapp webhook fields not handled yet');
    if (skipped.length > 0) request.log.warn({ skipped }, 'malformed whatsapp messages left out of the batch');

    const counts = await db.transaction().execute(async (trx) => {
      // First statement: which organisations own these numbers and accounts; it also enters one of them.
      const routes = await routeWhatsApp(trx, [...new Set(work.map((w) => w.phoneNumberId))], [...new Set(templates.map((t) => t.wabaId))]);
      const routed = work.filter((w) => routes.phoneNumbers.has(w.phoneNumberId));
      const unrouted = work.filter((w) => !routes.phoneNumbers.has(w.phoneNumberId));
      if (unrouted.length > 0) request.log.warn({ phoneNumberIds: unrouted.map((w) => w.phoneNumberId) }, 'whatsapp webhook for a phone_number_id no organisation owns');
      const routedTemplates = templates.filter((t) => routes.wabas.has(t.wabaId));
      if (routedTemplates.length < templates.length) request.log.warn({ wabaIds: templates.filter((t) => !routes.wabas.has(t.wabaId)).map((t) => t.wabaId) }, 'template update for a WhatsApp Business Account no organisation owns');
      if (work.length + templates.length > 0 && routed.length + routedTemplates.length === 0) throw new AppError('unknown_destination', 'No organisation owns this WhatsApp number or business account.');

      // One canonical order (organisation, sender, id) for every batch, so concurrent
      // batches touching the same conversations take their row locks in the same order.
      const messages = routed.flatMap((w) => w.messages.map((m) => ({ orgId: routes.phoneNumbers.get(w.phoneNumberId)!, m: withPendingMedia(m), phoneNumberId: w.phoneNumberId })))
        .sort((a, b) => a.orgId.localeCompare(b.orgId) || a.m.from.localeCompare(b.m.from) || a.m.providerMessageId.localeCompare(b.m.providerMessageId));
      const statuses = routed.flatMap((w) => w.statuses.map((st) => ({ orgId: routes.phoneNumbers.get(w.phoneNumberId)!, st })))
        .sort((a, b) => a.orgId.localeCompare(b.orgId) || a.st.providerMessageId.localeCompare(b.st.providerMessageId) || a.st.providerStatus.localeCompare(b.st.providerStatus));

      let stored = 0;
      let duplicates = 0;
      let tenant: string | null = routes.enteredOrgId;
      const enter = async (orgId: string) => {
        if (tenant !== orgId) await enterTenant(trx, orgId);
        tenant = orgId;
      };
      for (const { orgId, m, phoneNumberId } of messages) {
        await enter(orgId);
        const r = await recordInbound(trx, orgId, m);
        await queueInboundMedia(trx, queue, orgId, m, r, phoneNumberId);
        if (r.duplicate) duplicates++;
        else {
          stored++;
          await scheduleAiReply(trx, queue, config, orgId, r.conversationId);
        }
      }
      for (const { orgId, st } of statuses) {
        await enter(orgId);
        const applied = await applyDeliveryStatus(trx, orgId, st);
        if (applied.outcome === 'applied' && applied.messageId && st.status === 'failed' && st.errorCode === META_WINDOW_CLOSED) {
          await enqueueMetaClosedWindow(trx, queue, orgId, applied.messageId);
        }
      }
      for (const t of routedTemplates) {
        const orgId = routes.wabas.get(t.wabaId)!;
        await enter(orgId);
        await applyTemplateStatus(trx, orgId, t);
      }
      return { stored, duplicates, templates: routedTemplates.length };
    });
    request.log.info(counts, 'whatsapp webhook committed');
    return reply.status(200).send({ received: true });
  });
}
