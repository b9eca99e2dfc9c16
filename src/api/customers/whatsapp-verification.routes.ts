/**
 * WhatsApp number verification by one-time code, for staff (capability
 * `customers.consent.manage`; rules in src/domain/whatsapp-verification.ts):
 *
 * - `GET  /v1/customers/{id}/whatsapp-verification`: the latest verification (no code), or `null`;
 * - `POST /v1/customers/{id}/whatsapp-verification`: send a new code (WhatsApp authentication
 *   template with a copy-code button, or SMS where the garage cannot send one);
 * - `POST /v1/customers/{id}/whatsapp-verification/resend`: send the pending one again (new code);
 * - `POST /v1/customers/{id}/whatsapp-verification/check` `{code}`: the code the customer read
 *   out; correct → WhatsApp consent granted, source `otp_verification`, performed by the staff user.
 *
 * Errors: 404 not_found / verification_not_found, 409 verification_not_pending, 410 verification_expired,
 * 422 verification_unavailable / code_incorrect (`attemptsLeft`), 429 verification_locked / verification_send_limit,
 * 502 provider_rejected.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { checkVerification, currentVerification, resendVerification, startVerification } from '../../consent/whatsapp-verification.js';
import { AppError } from '../../server/errors.js';

export const verificationSchema = z.object({
  id: z.uuid(),
  channel: z.enum(['whatsapp', 'sms']).describe('How the code was sent: a WhatsApp authentication template, or SMS where the garage cannot send one'),
  status: z.enum(['pending', 'verified', 'locked', 'cancelled', 'expired']),
  attemptsLeft: z.number().int().describe('Checks left of 5'),
  sendsLeft: z.number().int().describe('Resends left (3 sends per verification)'),
  expiresAt: z.string().describe('When the code stops working (10 minutes after it was sent)'),
  verifiedAt: z.string().nullable(),
});

const security = [{ bearerAuth: [] }];
const params = z.object({ id: z.uuid() });

export async function whatsAppVerificationRoutes(app: FastifyInstance, { db, config }: { db: Kysely<Database>; config: Config }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const capability = { capability: 'customers.consent.manage' } as const;
  const tags = ['customers'];

  r.get('/v1/customers/:id/whatsapp-verification', {
    config: capability,
    schema: { summary: "A customer's latest WhatsApp verification", tags, security, params, response: { 200: verificationSchema.nullable() } },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const customer = await trx.selectFrom('customers').select('id').where('org_id', '=', request.orgId).where('id', '=', request.params.id).executeTakeFirst();
    if (!customer) throw new AppError('not_found', 'No such customer in this organisation.');
    return currentVerification(trx, request.orgId, customer.id);
  }));

  r.post('/v1/customers/:id/whatsapp-verification', {
    config: capability,
    schema: {
      summary: 'Send a WhatsApp verification code',
      description: 'Replaces any pending code. At most 5 codes an hour per customer; codes last 10 minutes.',
      tags, security, params, response: { 201: verificationSchema },
    },
  }, async (request, reply) => reply.status(201).send(await startVerification({ db, config }, request.orgId, request.params.id, request.principal)));

  r.post('/v1/customers/:id/whatsapp-verification/resend', {
    config: capability,
    schema: { summary: 'Send the pending verification code again (a new code)', tags, security, params, response: { 200: verificationSchema } },
  }, async (request) => resendVerification({ db, config }, request.orgId, request.params.id));

  r.post('/v1/customers/:id/whatsapp-verification/check', {
    config: capability,
    schema: {
      summary: 'Check the code the customer read out',
      description: 'A correct code grants WhatsApp consent (source otp_verification). 5 checks per code.',
      tags, security, params, body: z.object({ code: z.string().max(20) }), response: { 200: verificationSchema },
    },
  }, async (request) => checkVerification(db, request.orgId, request.params.id, request.body.code, {
    performedById: request.principal.userId, ipAddress: request.ip, userAgent: request.headers['user-agent'] ?? null,
  }));
}
