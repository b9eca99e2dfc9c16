/**
 * `PUT /v1/customers/{id}/consent/{category}` {granted}: staff change a
 * customer's consent (capability `customers.consent.manage`; technicians
 * cannot). Recorded in the consent audit log with source `staff_entry` and
 * the staff user (spec: whatsapp-consent.txt).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { setConsent } from '../../consent/consent.repository.js';
import { AppError } from '../../server/errors.js';

export async function consentRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().put('/v1/customers/:id/consent/:category', {
    config: { capability: 'customers.consent.manage' },
    schema: {
      summary: "Change a customer's consent for one category",
      tags: ['customers'],
      security: [{ bearerAuth: [] }],
      params: z.object({ id: z.uuid(), category: z.enum(['transactional', 'service_reminders', 'marketing', 'whatsapp']) }),
      body: z.object({ granted: z.boolean() }),
      response: { 200: z.object({ category: z.string(), granted: z.boolean(), changed: z.boolean() }) },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const customer = await trx.selectFrom('customers').select('id').where('org_id', '=', request.orgId).where('id', '=', request.params.id).executeTakeFirst();
    if (!customer) throw new AppError('not_found', 'No such customer in this organisation.');
    const changed = await setConsent(trx, request.orgId, customer.id, request.params.category, request.body.granted, {
      source: 'staff_entry', performedById: request.principal.userId, ipAddress: request.ip, userAgent: request.headers['user-agent'] ?? null,
    });
    return { category: request.params.category, granted: request.body.granted, changed };
  }));
}
