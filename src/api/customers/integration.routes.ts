/**
 * The integration API for the garage's management system (capability
 * `customers.manage`; API tokens hold it): upsert by the garage's own ids.
 * - `PUT /v1/integration/customers/{externalId}` {name, phone, email}
 * - `PUT /v1/integration/vehicles/{externalId}` {customerExternalId, registration, make, model}
 * - `PUT /v1/integration/work-orders/{externalId}` {customerExternalId, vehicleExternalId, number, title, status}
 * Each answers `{id, created}`: 201 when it created the record, 200 when it
 * updated (or a retry found) it. Retries are safe (src/customers/integration-upsert.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { emailField, phoneField, registrationField } from '../../customers/customer-input.js';
import { upsertCustomer, upsertVehicle, upsertWorkOrder } from '../../customers/integration-upsert.js';

const security = [{ bearerAuth: [] }];
const params = z.object({ externalId: z.string().trim().min(1).max(100) });
const result = z.object({ id: z.uuid(), created: z.boolean() });
const optional = z.string().trim().max(60).nullish().transform((v) => v || null);

export async function integrationRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.put('/v1/integration/customers/:externalId', {
    config: { capability: 'customers.manage' },
    schema: {
      summary: 'Upsert a customer by the management system\'s id',
      description: 'Idempotent. A new customer gets its four consent rows from the garage\'s defaults (source org_default). A phone another customer has answers 409 duplicate_phone.',
      tags: ['integration'], security, params,
      body: z.object({ name: z.string().trim().min(1).max(120), phone: phoneField, email: emailField }),
      response: { 200: result, 201: result },
    },
  }, async (request, reply) => {
    const res = await withTenant(db, request.orgId, (trx) => upsertCustomer(trx, request.orgId, request.params.externalId, request.body));
    return reply.status(res.created ? 201 : 200).send(res);
  });

  r.put('/v1/integration/vehicles/:externalId', {
    config: { capability: 'customers.manage' },
    schema: {
      summary: 'Upsert a vehicle by the management system\'s id', tags: ['integration'], security, params,
      body: z.object({ customerExternalId: z.string().trim().min(1).max(100), registration: registrationField, make: optional, model: optional }),
      response: { 200: result, 201: result },
    },
  }, async (request, reply) => {
    const res = await withTenant(db, request.orgId, (trx) => upsertVehicle(trx, request.orgId, request.params.externalId, request.body));
    return reply.status(res.created ? 201 : 200).send(res);
  });

  r.put('/v1/integration/work-orders/:externalId', {
    config: { capability: 'customers.manage' },
    schema: {
      summary: 'Upsert a work order by the management system\'s id',
      description: 'Its status decides whether the customer has an active work order (anything but completed or cancelled) for the consent gate and inbound routing.',
      tags: ['integration'], security, params,
      body: z.object({
        customerExternalId: z.string().trim().min(1).max(100), vehicleExternalId: z.string().trim().min(1).max(100).nullish().transform((v) => v ?? null),
        number: z.string().trim().min(1).max(40), title: z.string().trim().min(1).max(200),
        status: z.enum(['booked', 'in_progress', 'awaiting_parts', 'ready', 'completed', 'cancelled']),
      }),
      response: { 200: result, 201: result },
    },
  }, async (request, reply) => {
    const res = await withTenant(db, request.orgId, (trx) => upsertWorkOrder(trx, request.orgId, request.params.externalId, request.body));
    return reply.status(res.created ? 201 : 200).send(res);
  });
}
