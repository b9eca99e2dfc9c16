/**
 * Creates a customer with their consent rows (spec: whatsapp-consent.txt,
 * "When a new customer is created … four CustomerConsent rows are created
 * automatically using the current defaults").
 */
import type { TenantTx } from '../db/tenant.js';
import { seedCustomerConsents } from '../consent/consent.repository.js';

export type NewCustomer = { name: string; phone: string | null; email: string | null };

/** @returns the new customer's id */
export async function createCustomer(trx: TenantTx, orgId: string, customer: NewCustomer): Promise<string> {
  const row = await trx.insertInto('customers').values({ org_id: orgId, ...customer, portal_last_login_at: null }).returning('id').executeTakeFirstOrThrow();
  await seedCustomerConsents(trx, orgId, row.id);
  return row.id;
}
