/**
 * Creates a customer with their consent rows (spec: whatsapp-consent.txt,
 * "When a new customer is created … four CustomerConsent rows are created
 * automatically using the current defaults"; with no defaults, the safe
 * hard-coded ones), whatever the path: the directory, "Save as customer" on
 * an unknown sender's conversation, the integration API, an import, the demo.
 *
 * Two customers never share a phone number: the check runs under a
 * transaction-scoped advisory lock on (organisation, phone), so two requests
 * racing with the same number cannot both pass it. A new customer with a
 * phone adopts that number's unknown-sender conversation (its messages and
 * calls), so nothing from them is left unlinked.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import { seedCustomerConsents, setConsent, type ConsentActor } from '../consent/consent.repository.js';
import type { ConsentCategory } from '../db/schema.js';
import { AppError } from '../server/errors.js';
import type { VehicleInput } from './customer-input.js';

export type NewCustomer = { name: string; phone: string | null; email: string | null; externalId?: string | null; vehicles?: VehicleInput[] };

/** The customer already using `phone`, if any, after taking the (org, phone) lock for this transaction. */
export async function lockPhone(trx: TenantTx, orgId: string, phone: string, exceptCustomerId: string | null = null): Promise<{ id: string; name: string } | null> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`customer-phone:${orgId}:${phone}`}, 0))`.execute(trx);
  let q = trx.selectFrom('customers').select(['id', 'name']).where('org_id', '=', orgId).where('phone', '=', phone);
  if (exceptCustomerId) q = q.where('id', '<>', exceptCustomerId);
  return (await q.orderBy('created_at').limit(1).executeTakeFirst()) ?? null;
}

/**
 * @param opts.consents explicit consent values to apply after the defaults (an import's columns), audited with `opts.consentActor`
 * @returns the new customer's id
 * @throws AppError 409 duplicate_phone (with the existing customer's id in `details`) when another customer has the phone
 */
export async function createCustomer(
  trx: TenantTx, orgId: string, customer: NewCustomer,
  opts: { consents?: Partial<Record<ConsentCategory, boolean>>; consentActor?: ConsentActor } = {},
): Promise<string> {
  if (customer.phone) {
    const existing = await lockPhone(trx, orgId, customer.phone);
    if (existing) throw duplicatePhone(existing.id);
  }
  const row = await trx.insertInto('customers').values({
    org_id: orgId, name: customer.name, phone: customer.phone, email: customer.email, external_id: customer.externalId ?? null, portal_last_login_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  await seedCustomerConsents(trx, orgId, row.id);
  for (const [category, granted] of Object.entries(opts.consents ?? {}) as [ConsentCategory, boolean | undefined][]) {
    if (granted !== undefined) await setConsent(trx, orgId, row.id, category, granted, opts.consentActor ?? { source: 'import' });
  }
  // Their earlier messages and calls as an unknown sender become theirs: the number's conversation is adopted.
  if (customer.phone) {
    await trx.updateTable('conversations').set({ customer_id: row.id })
      .where('org_id', '=', orgId).where('customer_id', 'is', null).where('contact_phone', '=', customer.phone).execute();
  }
  if (customer.vehicles?.length) {
    await trx.insertInto('vehicles').values(customer.vehicles.map((v) => ({ org_id: orgId, customer_id: row.id, registration: v.registration, make: v.make, model: v.model }))).execute();
  }
  return row.id;
}

/** The duplicate-phone refusal; the existing customer's id lets the app offer to open them. */
export function duplicatePhone(existingCustomerId: string): AppError {
  return new AppError('duplicate_phone', 'Another customer already has this phone number.', { existingCustomerId });
}

/**
 * "Save as customer" on an unknown sender's conversation: the customer gets
 * the sender's number, and the conversation (with every message and call
 * from that number in it) becomes theirs.
 * @throws AppError 404 when the conversation does not exist; 409 conflict when it already belongs to a customer
 */
export async function saveSenderAsCustomer(trx: TenantTx, orgId: string, conversationId: string, customer: Omit<NewCustomer, 'phone'> & { phone?: string | null }): Promise<string> {
  const conversation = await trx.selectFrom('conversations').select(['id', 'customer_id', 'contact_phone'])
    .where('org_id', '=', orgId).where('id', '=', conversationId).forUpdate().executeTakeFirst();
  if (!conversation) throw new AppError('not_found', 'No such conversation in this organisation.');
  if (conversation.customer_id) throw new AppError('conflict', 'This conversation already belongs to a customer.');
  const id = await createCustomer(trx, orgId, { ...customer, phone: conversation.contact_phone ?? customer.phone ?? null });
  await trx.updateTable('conversations').set({ customer_id: id }).where('org_id', '=', orgId).where('id', '=', conversation.id).where('customer_id', 'is', null).execute();
  return id;
}
