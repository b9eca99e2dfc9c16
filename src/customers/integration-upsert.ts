/**
 * Upserts from the garage's management system (DMS) by its own external
 * ids (issue 12, "Integration API"): customers, vehicles and work orders.
 * Idempotent: one `INSERT … ON CONFLICT (org_id, external_id) DO UPDATE`
 * per record, so retries — even 20 at once — leave one row; a new customer
 * gets its four consent rows and audit entries exactly once (only the
 * insert that created the row seeds them). Work-order status drives
 * "active work order" for the consent gate and inbound routing.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import type { WorkOrderStatus } from '../db/schema.js';
import { seedCustomerConsents } from '../consent/consent.repository.js';
import { AppError } from '../server/errors.js';
import { duplicatePhone, lockPhone } from './create-customer.js';

export type UpsertResult = { id: string; created: boolean };

export async function upsertCustomer(trx: TenantTx, orgId: string, externalId: string, c: { name: string; phone: string | null; email: string | null }): Promise<UpsertResult> {
  if (c.phone) {
    const other = await lockPhone(trx, orgId, c.phone);
    if (other) {
      const same = await trx.selectFrom('customers').select('external_id').where('org_id', '=', orgId).where('id', '=', other.id).executeTakeFirstOrThrow();
      if (same.external_id !== externalId) throw duplicatePhone(other.id);
    }
  }
  const row = await trx.insertInto('customers')
    .values({ org_id: orgId, external_id: externalId, name: c.name, phone: c.phone, email: c.email, portal_last_login_at: null })
    .onConflict((oc) => oc.columns(['org_id', 'external_id']).doUpdateSet({ name: c.name, phone: c.phone, email: c.email, updated_at: new Date() }))
    .returning(['id', sql<boolean>`xmax = 0`.as('created')]).executeTakeFirstOrThrow();
  if (row.created) {
    await seedCustomerConsents(trx, orgId, row.id);
    if (c.phone) {
      await trx.updateTable('conversations').set({ customer_id: row.id })
        .where('org_id', '=', orgId).where('customer_id', 'is', null).where('contact_phone', '=', c.phone).execute();
    }
  }
  return { id: row.id, created: row.created };
}

async function customerByExternalId(trx: TenantTx, orgId: string, externalId: string): Promise<string> {
  const c = await trx.selectFrom('customers').select('id').where('org_id', '=', orgId).where('external_id', '=', externalId).executeTakeFirst();
  if (!c) throw new AppError('not_found', `No customer with external id "${externalId}": upsert the customer first.`);
  return c.id;
}

export async function upsertVehicle(trx: TenantTx, orgId: string, externalId: string, v: { customerExternalId: string; registration: string; make: string | null; model: string | null }): Promise<UpsertResult> {
  const customerId = await customerByExternalId(trx, orgId, v.customerExternalId);
  const row = await trx.insertInto('vehicles')
    .values({ org_id: orgId, external_id: externalId, customer_id: customerId, registration: v.registration, make: v.make, model: v.model })
    .onConflict((oc) => oc.columns(['org_id', 'external_id']).doUpdateSet({ customer_id: customerId, registration: v.registration, make: v.make, model: v.model }))
    .returning(['id', sql<boolean>`xmax = 0`.as('created')]).executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}

export async function upsertWorkOrder(
  trx: TenantTx, orgId: string, externalId: string,
  w: { customerExternalId: string; vehicleExternalId: string | null; number: string; title: string; status: WorkOrderStatus },
): Promise<UpsertResult> {
  const customerId = await customerByExternalId(trx, orgId, w.customerExternalId);
  let vehicleId: string | null = null;
  if (w.vehicleExternalId) {
    const v = await trx.selectFrom('vehicles').select('id').where('org_id', '=', orgId).where('external_id', '=', w.vehicleExternalId).executeTakeFirst();
    if (!v) throw new AppError('not_found', `No vehicle with external id "${w.vehicleExternalId}": upsert the vehicle first.`);
    vehicleId = v.id;
  }
  const clash = await trx.selectFrom('work_orders').select('external_id').where('org_id', '=', orgId).where('number', '=', w.number).executeTakeFirst();
  if (clash && clash.external_id !== externalId) throw new AppError('conflict', `Work order number ${w.number} belongs to another work order.`);
  const row = await trx.insertInto('work_orders')
    .values({ org_id: orgId, external_id: externalId, customer_id: customerId, vehicle_id: vehicleId, number: w.number, title: w.title, status: w.status })
    .onConflict((oc) => oc.columns(['org_id', 'external_id']).doUpdateSet({ customer_id: customerId, vehicle_id: vehicleId, number: w.number, title: w.title, status: w.status, updated_at: new Date() }))
    .returning(['id', sql<boolean>`xmax = 0`.as('created')]).executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}
