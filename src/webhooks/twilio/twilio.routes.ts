/**
 * Twilio webhooks: inbound SMS/MMS (`POST /twilio/sms`) and message
 * status callbacks (`POST /twilio/status`).
 *
 * Order of checks, each answering before anything is stored:
 * 400 `malformed_payload` when neither `To`/`From` nor `MessagingServiceSid`
 * can route it; 404 `unknown_destination` when no organisation owns the
 * number or Messaging Service; 403 `invalid_signature` when
 * `X-Twilio-Signature` does not match (checked with the official `twilio`
 * package over PUBLIC_BASE_URL + the requested path and query, on the form
 * exactly as sent); 400 when the payload is malformed. Only
 * `application/x-www-form-urlencoded` is accepted (415 otherwise), and every
 * text is cleaned of NUL and unpaired surrogates after the signature check. The 2xx is sent only after the transaction commits.
 * An inbound SMS that is an opt-out/opt-in keyword also records the change.
 *
 * One transaction per request: its first statement finds the organisation
 * and enters it (src/ingest/channel-routing.ts), the signature is checked
 * with that organisation's auth token, and only then is anything parsed and
 * stored; a 404, 403 or 400 rolls the transaction back.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import twilioWebhooks from 'twilio/lib/webhooks/webhooks.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import type { TenantTx } from '../../db/tenant.js';
import { routeTwilio, type TwilioRoute } from '../../ingest/channel-routing.js';
import { secretBoxFor } from '../../channels/credentials/secret-box.js';
import { recordInbound } from '../../ingest/record-inbound.js';
import { scheduleAiReply } from '../../ai/queue.js';
import { applySmsKeyword } from '../../ingest/sms-keywords.js';
import { applyDeliveryStatus } from '../../ingest/apply-delivery-status.js';
import { parseTwilioAddress } from '../../domain/phone.js';
import { AppError } from '../../server/errors.js';
import { formAsSent, param, registerFormBodyParser, type FormParams } from '../form-body.js';
import { parseTwilioInbound } from './parse-inbound.js';
import { parseTwilioStatus } from './parse-status.js';
import type { JobQueue } from '../../jobs/queue.js';
import { queueInboundMedia, withPendingMedia } from '../../media/inbound-media.js';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

type Deps = { db: Kysely<Database>; config: Config; queue: JobQueue };

/** Our side of the exchange: `To` for inbound messages, `From` for status callbacks. */
function ourNumber(params: FormParams, field: 'To' | 'From'): string | null {
  const raw = param(params, field);
  return raw ? parseTwilioAddress(raw).e164 : null;
}

export function formParams(request: FastifyRequest): FormParams {
  if (!request.body || typeof request.body !== 'object') {
    throw new AppError('malformed_payload', 'Expected an application/x-www-form-urlencoded body.');
  }
  return request.body as FormParams;
}

type RoutingKeys = { number: string | null; serviceSid: string | null };

/**
 * What routes the request: our number and/or the Messaging Service.
 * @throws AppError malformed_payload when there is neither
 */
function routingKeys(params: FormParams, field: 'To' | 'From'): RoutingKeys {
  const number = ourNumber(params, field);
  const serviceSid = param(params, 'MessagingServiceSid') ?? null;
  if (!number && !serviceSid) throw new AppError('malformed_payload', `${field} or MessagingServiceSid is required to route the request.`);
  return { number, serviceSid };
}

/**
 * Resolve the organisation and enter it (the transaction's first statement),
 * then verify the signature with its auth token, before anything is stored.
 * @param trx the webhook's transaction, no tenant entered yet; a throw rolls it back
 * @throws AppError unknown_destination | invalid_signature
 */
async function authenticate(trx: TenantTx, config: Config, request: FastifyRequest, params: FormParams, { number, serviceSid }: RoutingKeys): Promise<TwilioRoute> {
  const route = await routeTwilio(trx, number, serviceSid);
  if (!route) {
    request.log.warn({ number, serviceSid }, 'twilio webhook for a number no organisation owns');
    throw new AppError('unknown_destination', 'No organisation owns this number or Messaging Service.');
  }
  verifyTwilioSignature(route, config, request, params);
  return route;
}

/**
 * Check `X-Twilio-Signature` with the routed organisation's auth token over
 * PUBLIC_BASE_URL + the requested path and query (official `twilio` helper).
 * @throws AppError invalid_signature
 */
export function verifyTwilioSignature(route: TwilioRoute, config: Config, request: FastifyRequest, params: FormParams): void {
  const signature = request.headers['x-twilio-signature'];
  const url = config.PUBLIC_BASE_URL + request.url;
  if (typeof signature !== 'string' || !twilioWebhooks.validateRequest(secretBoxFor(config).open(route.authToken), signature, url, formAsSent(request) ?? params)) {
    throw new AppError('invalid_signature', 'X-Twilio-Signature does not match this request.');
  }
}

export async function twilioRoutes(app: FastifyInstance, { db, config, queue }: Deps): Promise<void> {
  // Twilio posts forms only: anything else (JSON, whose nested values no parameter reader expects) is 415.
  app.removeAllContentTypeParsers();
  registerFormBodyParser(app);

  app.post('/twilio/sms', { schema: { hide: true } }, async (request, reply) => {
    const params = formParams(request);
    const keys = routingKeys(params, 'To');
    const { orgId, inbound, recorded } = await db.transaction().execute(async (trx) => {
      const route = await authenticate(trx, config, request, params, keys);
      const inbound = withPendingMedia(parseTwilioInbound(params, new Date()));
      const recorded = await recordInbound(trx, route.orgId, inbound);
      await queueInboundMedia(trx, queue, route.orgId, inbound, recorded);
      if (!recorded.duplicate && inbound.channel === 'sms') {
        const optOutType = typeof inbound.metadata.optOutType === 'string' ? inbound.metadata.optOutType : null;
        await applySmsKeyword(trx, route.orgId, inbound.from, recorded.customerId, inbound.body, optOutType);
      }
      if (!recorded.duplicate) await scheduleAiReply(trx, queue, config, route.orgId, recorded.conversationId);
      return { orgId: route.orgId, inbound, recorded };
    });
    request.log.info({ orgId, sid: inbound.providerMessageId, duplicate: recorded.duplicate }, 'twilio inbound');
    return reply.status(200).type('text/xml').send(EMPTY_TWIML);
  });

  app.post('/twilio/status', { schema: { hide: true } }, async (request, reply) => {
    const params = formParams(request);
    const keys = routingKeys(params, 'From');
    const applied = await db.transaction().execute(async (trx) => {
      const route = await authenticate(trx, config, request, params, keys);
      const event = parseTwilioStatus(params);
      return event ? { orgId: route.orgId, event, outcome: await applyDeliveryStatus(trx, route.orgId, event) } : null;
    });
    if (applied) {
      const { orgId, event, outcome } = applied;
      request.log.info({ orgId, sid: event.providerMessageId, status: event.providerStatus, outcome: outcome.outcome }, 'twilio status');
    }
    return reply.status(204).send();
  });
}
