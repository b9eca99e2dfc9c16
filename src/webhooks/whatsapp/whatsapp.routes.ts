/**
 * WhatsApp Cloud API webhooks at `/whatsapp/webhook`.
 *
 * GET answers Meta's verification handshake. POST checks the signature over
 * the raw bytes (403 `invalid_signature`), parses and validates the whole
 * batch (400 `malformed_payload`), then stores every message and status of
 * every entry and change in ONE transaction: the batch is committed
 * completely before the 200, or not acknowledged at all. A batch whose
 * `phone_number_id`s are all unknown gets 404 `unknown_destination`; items
 * for an unknown number inside an otherwise known batch are logged and
 * skipped, so one stray number cannot hold the garage's messages in Meta's
 * retry queue.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { enterTenant } from '../../db/tenant.js';
import { findWhatsAppRoutes } from '../../ingest/channel-routing.js';
import { recordInbound, type InboundMessage } from '../../ingest/record-inbound.js';
import { applyDeliveryStatus, type DeliveryStatusEvent } from '../../ingest/apply-delivery-status.js';
import { AppError } from '../../server/errors.js';
import { whatsAppEnvelope, whatsAppMessagesValue } from './payload.schema.js';
import { parseWhatsAppMessage, parseWhatsAppStatus } from './parse.js';
import { isValidWhatsAppSignature } from './signature.js';

type Deps = { db: Kysely<Database>; config: Config };

/** What one `messages` change asks us to store, for one phone number. */
type ChangeWork = { phoneNumberId: string; messages: InboundMessage[]; statuses: DeliveryStatusEvent[] };

function parseBatch(raw: Buffer): { work: ChangeWork[]; ignoredFields: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('malformed_payload', 'Body is not valid JSON.');
  }
  const envelope = whatsAppEnvelope.safeParse(json);
  if (!envelope.success) throw new AppError('malformed_payload', `Not a WhatsApp Business Account webhook: ${envelope.error.issues[0]?.message ?? 'invalid'}.`);
  const work: ChangeWork[] = [];
  const ignoredFields: string[] = [];
  for (const entry of envelope.data.entry) {
    for (const change of entry.changes) {
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
        messages: (value.data.messages ?? []).map((m) => parseWhatsAppMessage(m, value.data)),
        statuses: (value.data.statuses ?? []).map(parseWhatsAppStatus).filter((s): s is DeliveryStatusEvent => s !== null),
      });
    }
  }
  return { work, ignoredFields };
}

export async function whatsAppRoutes(app: FastifyInstance, { db, config }: Deps): Promise<void> {
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
    const { work, ignoredFields } = parseBatch(raw);
    if (ignoredFields.length > 0) request.log.info({ fields: ignoredFields }, 'whatsapp webhook fields not handled yet');

    const routes = await findWhatsAppRoutes(db, [...new Set(work.map((w) => w.phoneNumberId))]);
    const routed = work.filter((w) => routes.has(w.phoneNumberId));
    const unrouted = work.filter((w) => !routes.has(w.phoneNumberId));
    if (unrouted.length > 0) request.log.warn({ phoneNumberIds: unrouted.map((w) => w.phoneNumberId) }, 'whatsapp webhook for a phone_number_id no organisation owns');
    if (work.length > 0 && routed.length === 0) throw new AppError('unknown_destination', 'No organisation owns this WhatsApp phone number.');

    const counts = await db.transaction().execute(async (trx) => {
      let stored = 0;
      let duplicates = 0;
      for (const w of routed) {
        const orgId = routes.get(w.phoneNumberId)!;
        await enterTenant(trx, orgId);
        for (const m of w.messages) {
          const r = await recordInbound(trx, orgId, m);
          if (r.duplicate) duplicates++;
          else stored++;
        }
        for (const s of w.statuses) await applyDeliveryStatus(trx, orgId, s);
      }
      return { stored, duplicates };
    });
    request.log.info(counts, 'whatsapp webhook committed');
    return reply.status(200).send({ received: true });
  });
}
