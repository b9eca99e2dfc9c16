/**
 * The customer directory and profile (issue 12; spec: whatsapp-consent.txt):
 * - `GET /v1/customers?q=&page=&pageSize=`: search (name, phone in any format,
 *   e-mail, registration) and paging;
 * - `POST /v1/customers`: create (consent rows from the garage's defaults,
 *   audited); with `fromConversationId`, "Save as customer" for an unknown
 *   sender's conversation; a phone another customer has → 409 duplicate_phone
 *   with `details.existingCustomerId`;
 * - `GET /v1/customers/{id}`, `PATCH /v1/customers/{id}`: profile, edit details;
 * - `POST /v1/customers/{id}/vehicles`: add a vehicle;
 * - `GET /v1/customers/{id}/consent-history?at=`: every audit entry, and the
 *   state at an instant reconstructed from them;
 * - `POST /v1/customers/{id}/conversation`: the customer's one conversation
 *   (made if needed), to start a conversation through the usual send route.
 * Phones and e-mail addresses only reach principals with `customers.contact.view`.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { canSeeContact } from '../../auth/redaction.js';
import { recordAudit } from '../../auth/audit.js';
import { AppError } from '../../server/errors.js';
import { customerInput, emailField, phoneField, vehicleInput } from '../../customers/customer-input.js';
import { createCustomer, duplicatePhone, lockPhone, saveSenderAsCustomer } from '../../customers/create-customer.js';
import { searchCustomers } from '../../customers/customer-directory.js';
import { loadCustomerProfile } from '../../customers/customer-profile.js';
import { consentHistory } from '../../customers/consent-history.js';
import { ensureCustomerConversation } from '../../customers/customer-conversation.js';
import { customerProfileSchema, directorySchema, historySchema } from './customer.schemas.js';

const security = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.uuid() });

export async function customerRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/customers', {
    config: { capability: 'messages.view' },
    schema: {
      summary: 'Search the customer directory',
      description: 'Matches names and registrations; phone numbers (any format) and e-mail addresses only for callers who may see contact details.',
      tags: ['customers'], security,
      querystring: z.object({ q: z.string().trim().max(100).default(''), page: z.coerce.number().int().min(1).max(10_000).default(1), pageSize: z.coerce.number().int().min(1).max(100).default(25) }),
      response: { 200: directorySchema },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const { rows, total } = await searchCustomers(trx, request.orgId, { ...request.query, contact: canSeeContact(request.principal) });
    return { customers: rows, total, page: request.query.page, pageSize: request.query.pageSize };
  }));

  r.post('/v1/customers', {
    config: { capability: 'customers.manage' },
    schema: {
      summary: 'Create a customer (or save an unknown sender as one)',
      description: 'Creates the four consent rows from the garage\'s defaults (source org_default) with four audit entries. A phone number another customer has answers 409 duplicate_phone with details.existingCustomerId.',
      tags: ['customers'], security,
      body: customerInput.extend({ fromConversationId: z.uuid().nullish() }),
      response: { 201: z.object({ id: z.uuid() }) },
    },
  }, async (request, reply) => {
    const { fromConversationId, ...customer } = request.body;
    const id = await withTenant(db, request.orgId, async (trx) => {
      const created = fromConversationId
        ? await saveSenderAsCustomer(trx, request.orgId, fromConversationId, customer)
        : await createCustomer(trx, request.orgId, customer);
      await recordAudit(trx, request.principal, { action: 'customer.created', targetType: 'customer', targetId: created, after: { fromConversationId: fromConversationId ?? null } });
      return created;
    }).catch((e: unknown) => { throw redactDuplicate(e, canSeeContact(request.principal)); });
    return reply.status(201).send({ id });
  });

  r.get('/v1/customers/:id', {
    config: { capability: 'messages.view' },
    schema: { summary: "A customer's profile", tags: ['customers'], security, params: idParams, response: { 200: customerProfileSchema } },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const profile = await loadCustomerProfile(trx, request.orgId, request.params.id, canSeeContact(request.principal));
    if (!profile) throw new AppError('not_found', 'No such customer in this organisation.');
    return profile;
  }));

  r.patch('/v1/customers/:id', {
    config: { capability: 'customers.manage' },
    schema: {
      summary: "Edit a customer's details",
      tags: ['customers'], security, params: idParams,
      body: z.object({ name: z.string().trim().min(1).max(120).optional(), phone: phoneField.optional(), email: emailField.optional() }),
      response: { 200: customerProfileSchema },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const { orgId, principal } = request;
    const before = await trx.selectFrom('customers').select(['id', 'name', 'phone', 'email']).where('org_id', '=', orgId).where('id', '=', request.params.id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', 'No such customer in this organisation.');
    const b = request.body;
    if (b.phone && b.phone !== before.phone) {
      const other = await lockPhone(trx, orgId, b.phone, before.id);
      if (other) throw redactDuplicate(duplicatePhone(other.id), canSeeContact(principal));
    }
    const patch = { ...(b.name !== undefined ? { name: b.name } : {}), ...(b.phone !== undefined ? { phone: b.phone } : {}), ...(b.email !== undefined ? { email: b.email } : {}) };
    if (Object.keys(patch).length) {
      await trx.updateTable('customers').set({ ...patch, updated_at: new Date() }).where('org_id', '=', orgId).where('id', '=', before.id).execute();
      await recordAudit(trx, principal, { action: 'customer.updated', targetType: 'customer', targetId: before.id, before: { fields: Object.keys(patch) } });
    }
    return (await loadCustomerProfile(trx, orgId, before.id, canSeeContact(principal)))!;
  }));

  r.post('/v1/customers/:id/vehicles', {
    config: { capability: 'customers.manage' },
    schema: { summary: 'Add a vehicle to a customer', tags: ['customers'], security, params: idParams, body: vehicleInput, response: { 201: z.object({ id: z.uuid() }) } },
  }, async (request, reply) => {
    const id = await withTenant(db, request.orgId, async (trx) => {
      const c = await trx.selectFrom('customers').select('id').where('org_id', '=', request.orgId).where('id', '=', request.params.id).executeTakeFirst();
      if (!c) throw new AppError('not_found', 'No such customer in this organisation.');
      const v = await trx.insertInto('vehicles').values({ org_id: request.orgId, customer_id: c.id, ...request.body }).returning('id').executeTakeFirstOrThrow();
      return v.id;
    });
    return reply.status(201).send({ id });
  });

  r.get('/v1/customers/:id/consent-history', {
    config: { capability: 'messages.view' },
    schema: {
      summary: "A customer's consent history, and their consent at an instant",
      description: 'Every consent audit entry, oldest first. With `at` (ISO-8601), the state of each category at that instant, replayed from the log.',
      tags: ['customers'], security, params: idParams,
      querystring: z.object({ at: z.iso.datetime({ offset: true }).optional() }),
      response: { 200: historySchema },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const c = await trx.selectFrom('customers').select('id').where('org_id', '=', request.orgId).where('id', '=', request.params.id).executeTakeFirst();
    if (!c) throw new AppError('not_found', 'No such customer in this organisation.');
    return consentHistory(trx, request.orgId, c.id, canSeeContact(request.principal), request.query.at ? new Date(request.query.at) : null);
  }));

  r.post('/v1/customers/:id/conversation', {
    config: { capability: ['messages.send', 'messages.send_gated'] },
    schema: {
      summary: "The customer's conversation, made if there is none",
      description: 'To start a conversation: get its id here, then send the first message with POST /v1/conversations/{id}/messages (the usual send rules).',
      tags: ['customers'], security, params: idParams,
      response: { 200: z.object({ conversationId: z.uuid(), created: z.boolean() }) },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const c = await ensureCustomerConversation(trx, request.orgId, request.params.id);
    return { conversationId: c.id, created: c.created };
  }));
}

/** Without contact access, a duplicate-phone refusal does not say who has the number. */
function redactDuplicate(e: unknown, contact: boolean): unknown {
  if (e instanceof AppError && e.code === 'duplicate_phone' && !contact) return new AppError('duplicate_phone', 'Another customer already has this phone number.');
  return e;
}
