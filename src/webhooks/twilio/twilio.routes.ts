/**
 * Twilio webhooks: inbound SMS/MMS (`POST /twilio/sms`) and message
 * status callbacks (`POST /twilio/status`).
 *
 * Order of checks, each answering before anything is stored:
 * 400 `malformed_payload` when neither `To`/`From` nor `MessagingServiceSid`
 * can route it; 404 `unknown_destination` when no organisation owns the
 * number or Messaging Service; 403 `invalid_signature` when
 * `X-Twilio-Signature` does not match (checked with the official `twilio`
 * package over PUBLIC_BASE_URL + the requested path and query); 400 when the
 * payload is malformed. The 2xx is sent only after the transaction commits.
 * An inbound SMS that is an opt-out/opt-in keyword also records the change.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import twilioWebhooks from 'twilio/lib/webhooks/webhooks.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { enterTenant } from '../../db/tenant.js';
import { findTwilioRoute, type TwilioRoute } from '../../ingest/channel-routing.js';
import { recordInbound } from '../../ingest/record-inbound.js';
import { applySmsKeyword } from '../../ingest/sms-keywords.js';
import { applyDeliveryStatus } from '../../ingest/apply-delivery-status.js';
import { parseTwilioAddress } from '../../domain/phone.js';
import { AppError } from '../../server/errors.js';
import { param, registerFormBodyParser, type FormParams } from '../form-body.js';
import { parseTwilioInbound } from './parse-inbound.js';
import { parseTwilioStatus } from './parse-status.js';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

type Deps = { db: Kysely<Database>; config: Config };

/** Our side of the exchange: `To` for inbound messages, `From` for status callbacks. */
function ourNumber(params: FormParams, field: 'To' | 'From'): string | null {
  const raw = param(params, field);
  return raw ? parseTwilioAddress(raw).e164 : null;
}

function formParams(request: FastifyRequest): FormParams {
  if (!request.body || typeof request.body !== 'object') {
    throw new AppError('malformed_payload', 'Expected an application/x-www-form-urlencoded body.');
  }
  return request.body as FormParams;
}

/**
 * Resolve the organisation and verify the signature.
 * @throws AppError malformed_payload | unknown_destination | invalid_signature
 */
async function authenticate(db: Kysely<Database>, config: Config, request: FastifyRequest, params: FormParams, field: 'To' | 'From'): Promise<TwilioRoute> {
  const number = ourNumber(params, field);
  const serviceSid = param(params, 'MessagingServiceSid') ?? null;
  if (!number && !serviceSid) throw new AppError('malformed_payload', `${field} or MessagingServiceSid is required to route the request.`);
  const route = await findTwilioRoute(db, number, serviceSid);
  if (!route) {
    request.log.warn({ number, serviceSid }, 'twilio webhook for a number no organisation owns');
    throw new AppError('unknown_destination', 'No organisation owns this number or Messaging Service.');
  }
  const signature = request.headers['x-twilio-signature'];
  const url = config.PUBLIC_BASE_URL + request.url;
  if (typeof signature !== 'string' || !twilioWebhooks.validateRequest(route.authToken, signature, url, params)) {
    throw new AppError('invalid_signature', 'X-Twilio-Signature does not match this request.');
  }
  return route;
}

export async function twilioRoutes(app: FastifyInstance, { db, config }: Deps): Promise<void> {
  registerFormBodyParser(app);

  app.post('/twilio/sms', { schema: { hide: true } }, async (request, reply) => {
    const params = formParams(request);
    const route = await authenticate(db, config, request, params, 'To');
    const inbound = parseTwilioInbound(params, new Date());
    const result = await db.transaction().execute(async (trx) => {
      await enterTenant(trx, route.orgId);
      const recorded = await recordInbound(trx, route.orgId, inbound);
      if (!recorded.duplicate && inbound.channel === 'sms') {
        const optOutType = typeof inbound.metadata.optOutType === 'string' ? inbound.metadata.optOutType : null;
        await applySmsKeyword(trx, route.orgId, inbound.from, recorded.customerId, inbound.body, optOutType);
      }
      return recorded;
    });
    request.log.info({ orgId: route.orgId, sid: inbound.providerMessageId, duplicate: result.duplicate }, 'twilio inbound');
    return reply.status(200).type('text/xml').send(EMPTY_TWIML);
  });

  app.post('/twilio/status', { schema: { hide: true } }, async (request, reply) => {
    const params = formParams(request);
    const route = await authenticate(db, config, request, params, 'From');
    const event = parseTwilioStatus(params);
    if (event) {
      const outcome = await db.transaction().execute(async (trx) => {
        await enterTenant(trx, route.orgId);
        return applyDeliveryStatus(trx, route.orgId, event);
      });
      request.log.info({ orgId: route.orgId, sid: event.providerMessageId, status: event.providerStatus, outcome: outcome.outcome }, 'twilio status');
    }
    return reply.status(204).send();
  });
}
