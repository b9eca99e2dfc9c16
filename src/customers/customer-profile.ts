/**
 * Everything the customer profile shows, read in one tenant transaction:
 * details, vehicles, work orders, the customer's one conversation, last
 * portal login, and the Communication Preferences card (each category's
 * status, the source of the last change and its time, who changed it).
 * Contact details are left out for principals without `customers.contact.view`.
 */
import type { TenantTx } from '../db/tenant.js';
import type { ConsentCategory } from '../db/schema.js';
import { CONSENT_CATEGORIES } from '../domain/consent-history.js';
import { consentSourceLabel } from '../domain/consent-source.js';
import { HARDCODED_CONSENT_DEFAULTS } from '../domain/consent.js';

export type ConsentCard = Array<{ category: ConsentCategory; granted: boolean; source: string; sourceLabel: string; updatedAt: string | null; performedBy: string | null }>;

export async function loadConsentCard(trx: TenantTx, orgId: string, customerId: string): Promise<ConsentCard> {
  const rows = await trx.selectFrom('customer_consents as cc')
    .leftJoin('staff_users as s', (j) => j.onRef('s.org_id', '=', 'cc.org_id').onRef('s.id', '=', 'cc.performed_by_id'))
    .select(['cc.category', 'cc.granted', 'cc.source', 'cc.updated_at', 's.name as performed_by'])
    .where('cc.org_id', '=', orgId).where('cc.customer_id', '=', customerId).execute();
  return CONSENT_CATEGORIES.map((category) => {
    const r = rows.find((x) => x.category === category);
    // A customer from before consent rows existed reads as the hard-coded safe defaults.
    if (!r) return { category, granted: HARDCODED_CONSENT_DEFAULTS[category], source: 'hardcoded_default', sourceLabel: 'Default', updatedAt: null, performedBy: null };
    return { category, granted: r.granted, source: r.source, sourceLabel: consentSourceLabel(r.source), updatedAt: r.updated_at.toISOString(), performedBy: r.performed_by };
  });
}

export async function loadCustomerProfile(trx: TenantTx, orgId: string, customerId: string, contact: boolean) {
  const c = await trx.selectFrom('customers').selectAll().where('org_id', '=', orgId).where('id', '=', customerId).executeTakeFirst();
  if (!c) return null;
  const vehicles = await trx.selectFrom('vehicles').select(['id', 'registration', 'make', 'model', 'external_id'])
    .where('org_id', '=', orgId).where('customer_id', '=', customerId).orderBy('created_at').execute();
  const workOrders = await trx.selectFrom('work_orders as w').leftJoin('vehicles as v', (j) => j.onRef('v.org_id', '=', 'w.org_id').onRef('v.id', '=', 'w.vehicle_id'))
    .select(['w.id', 'w.number', 'w.title', 'w.status', 'w.created_at', 'v.registration'])
    .where('w.org_id', '=', orgId).where('w.customer_id', '=', customerId).orderBy('w.created_at', 'desc').execute();
  const conversation = await trx.selectFrom('conversations').select(['id', 'last_channel', 'last_activity_at'])
    .where('org_id', '=', orgId).where('customer_id', '=', customerId).executeTakeFirst();
  const consents = await loadConsentCard(trx, orgId, customerId);
  const lastSession = await trx.selectFrom('portal_sessions').select('created_at')
    .where('org_id', '=', orgId).where('customer_id', '=', customerId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  const lastLogin = [c.portal_last_login_at, lastSession?.created_at ?? null].filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  return {
    id: c.id, name: c.name, externalId: c.external_id,
    phone: contact ? c.phone : null, email: contact ? c.email : null,
    hasPhone: c.phone !== null, hasEmail: c.email !== null,
    createdAt: c.created_at.toISOString(), portalLastLoginAt: lastLogin?.toISOString() ?? null,
    vehicles: vehicles.map((v) => ({ id: v.id, registration: v.registration, make: v.make, model: v.model, externalId: v.external_id })),
    workOrders: workOrders.map((w) => ({ id: w.id, number: w.number, title: w.title, status: w.status, createdAt: w.created_at.toISOString(), registration: w.registration })),
    conversation: conversation ? { id: conversation.id, lastChannel: conversation.last_channel, lastActivityAt: conversation.last_activity_at.toISOString() } : null,
    consents,
  };
}

export type CustomerProfile = NonNullable<Awaited<ReturnType<typeof loadCustomerProfile>>>;
