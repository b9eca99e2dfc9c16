/**
 * Consent state per customer and SMS opt-outs per phone number, with every
 * change appended to the immutable `consent_audit_log`
 * (spec: whatsapp-consent.txt).
 */
import type { TenantTx } from '../db/tenant.js';
import type { ConsentCategory, ConsentSource } from '../db/schema.js';
import { HARDCODED_CONSENT_DEFAULTS, initialConsents } from '../domain/consent.js';

const CATEGORIES: ConsentCategory[] = ['transactional', 'service_reminders', 'marketing', 'whatsapp'];

/** Who or what made a consent change, stamped on the audit entry. */
export type ConsentActor = {
  source: ConsentSource | 'sms_keyword' | 'provider_error';
  performedById?: string | null;
  ipAddress?: string | null;
  userAgent?: string | null;
};

/**
 * Create the four consent rows of a new customer from the organisation's
 * defaults (or the hard-coded safe defaults when it has none), with four
 * matching audit entries.
 */
export async function seedCustomerConsents(trx: TenantTx, orgId: string, customerId: string): Promise<void> {
  const defaults = await trx.selectFrom('consent_defaults').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  const initial = initialConsents(defaults ? { serviceReminders: defaults.service_reminders, marketing: defaults.marketing, whatsapp: defaults.whatsapp } : null);
  await trx.insertInto('customer_consents').values(CATEGORIES.map((category) => ({
    org_id: orgId, customer_id: customerId, category, granted: initial.values[category], source: initial.source, performed_by_id: null,
  }))).execute();
  await trx.insertInto('consent_audit_log').values(CATEGORIES.map((category) => ({
    org_id: orgId, customer_id: customerId, phone: null, category, action: initial.values[category] ? 'granted' as const : 'revoked' as const,
    previous_value: null, source: initial.source, ip_address: null, user_agent: null, performed_by_id: null,
  }))).execute();
}

/**
 * A customer's consent per category; categories without a row (customers
 * created before consent existed, unknown senders) read as the hard-coded
 * safe defaults.
 */
export async function loadConsents(trx: TenantTx, orgId: string, customerId: string | null): Promise<Record<ConsentCategory, boolean>> {
  const values = { ...HARDCODED_CONSENT_DEFAULTS };
  if (!customerId) return values;
  const rows = await trx.selectFrom('customer_consents').select(['category', 'granted']).where('org_id', '=', orgId).where('customer_id', '=', customerId).execute();
  for (const r of rows) values[r.category] = r.granted;
  return values;
}

/** Whether `phone` has opted out of SMS from this organisation. */
export async function isSmsOptedOut(trx: TenantTx, orgId: string, phone: string): Promise<boolean> {
  const row = await trx.selectFrom('sms_opt_outs').select('opted_out').where('org_id', '=', orgId).where('phone', '=', phone).executeTakeFirst();
  return row?.opted_out ?? false;
}

/**
 * Record an SMS opt-out (`optedOut: true`) or opt-in for a phone number and
 * audit it. A change to the same value is not audited again.
 * @returns whether the stored value changed
 */
export async function setSmsOptOut(trx: TenantTx, orgId: string, phone: string, optedOut: boolean, customerId: string | null, actor: ConsentActor): Promise<boolean> {
  const previous = await trx.selectFrom('sms_opt_outs').select('opted_out').where('org_id', '=', orgId).where('phone', '=', phone).forUpdate().executeTakeFirst();
  if (previous?.opted_out === optedOut || (!previous && !optedOut)) return false;
  await trx.insertInto('sms_opt_outs').values({ org_id: orgId, phone, opted_out: optedOut, updated_at: new Date() })
    .onConflict((oc) => oc.columns(['org_id', 'phone']).doUpdateSet({ opted_out: optedOut, updated_at: new Date() })).execute();
  await trx.insertInto('consent_audit_log').values({
    org_id: orgId, customer_id: customerId, phone, category: 'sms', action: optedOut ? 'revoked' : 'granted',
    previous_value: previous ? !previous.opted_out : true, source: actor.source, ip_address: actor.ipAddress ?? null,
    user_agent: actor.userAgent ?? null, performed_by_id: actor.performedById ?? null,
  }).execute();
  return true;
}

/**
 * Change one consent category of a customer and audit it (previous value,
 * source, actor, IP, user agent). Setting the current value again changes
 * nothing, unless `options.recordUnchanged`: then the row takes the new
 * source and actor and the log gets the entry anyway (an OTP verification
 * is explicit consent worth recording even when WhatsApp was already on).
 * @returns whether the value changed
 */
export async function setConsent(
  trx: TenantTx, orgId: string, customerId: string, category: ConsentCategory, granted: boolean, actor: ConsentActor, options: { recordUnchanged?: boolean } = {},
): Promise<boolean> {
  const previous = await trx.selectFrom('customer_consents').select('granted').where('org_id', '=', orgId).where('customer_id', '=', customerId).where('category', '=', category).forUpdate().executeTakeFirst();
  if (previous?.granted === granted && !options.recordUnchanged) return false;
  const source = actor.source as ConsentSource;
  await trx.insertInto('customer_consents').values({ org_id: orgId, customer_id: customerId, category, granted, source, performed_by_id: actor.performedById ?? null, updated_at: new Date() })
    .onConflict((oc) => oc.columns(['org_id', 'customer_id', 'category']).doUpdateSet({ granted, source, performed_by_id: actor.performedById ?? null, updated_at: new Date() })).execute();
  await trx.insertInto('consent_audit_log').values({
    org_id: orgId, customer_id: customerId, phone: null, category, action: granted ? 'granted' : 'revoked', previous_value: previous?.granted ?? null,
    source: actor.source, ip_address: actor.ipAddress ?? null, user_agent: actor.userAgent ?? null, performed_by_id: actor.performedById ?? null,
  }).execute();
  return previous?.granted !== granted;
}
