/**
 * A customer's one conversation (unique per customer, migration 0001), made
 * on first need: starting a conversation from the profile or directory, or
 * opening a work order's Messages tab before anyone has written.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import { AppError } from '../server/errors.js';

/**
 * @returns the id of the customer's conversation, created if there was none (concurrent callers get the same one)
 * @throws AppError 404 when the customer does not exist in this organisation
 */
export async function ensureCustomerConversation(trx: TenantTx, orgId: string, customerId: string): Promise<{ id: string; created: boolean }> {
  const customer = await trx.selectFrom('customers').select(['id', 'name']).where('org_id', '=', orgId).where('id', '=', customerId).executeTakeFirst();
  if (!customer) throw new AppError('not_found', 'No such customer in this organisation.');
  const inserted = await trx.insertInto('conversations').values({ org_id: orgId, customer_id: customer.id, contact_name: customer.name })
    .onConflict((oc) => oc.columns(['org_id', 'customer_id']).where(sql.ref('customer_id'), 'is not', null).doNothing())
    .returning('id').executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await trx.selectFrom('conversations').select('id').where('org_id', '=', orgId).where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}
