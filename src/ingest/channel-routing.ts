/**
 * Finds which organisation a provider request is for, before any tenant is
 * known, and enters that tenant in the same statement.
 *
 * Each lookup is the first statement of the webhook's own transaction, run
 * as the connecting (owner) role because the routing table is read across
 * organisations; it returns only the owning organisation and the credentials
 * needed to verify the request. The same statement scopes the transaction to
 * the organisation found (`tenantEntry`, src/db/tenant.ts), so every later
 * statement runs as `torqueflow_app` under row-level security. Requests are
 * verified before anything is stored (Twilio: with the auth token found
 * here; WhatsApp: with the app secret, before the transaction opens); a
 * rejection throws, which rolls the transaction back, so nothing is stored
 * and no setting outlives it.
 *
 * The lookups themselves are the PL/pgSQL functions `ingest_route_twilio`
 * and `ingest_route_whatsapp` (src/db/migrations/0004-ingest-functions.ts),
 * whose plans PostgreSQL keeps per connection instead of planning the
 * lookup on every webhook.
 */
import { sql } from 'kysely';
import { tenantEntry, type TenantTx } from '../db/tenant.js';

export type TwilioRoute = { orgId: string; authToken: string };

/**
 * The organisation owning a Twilio number or Messaging Service; the
 * transaction is scoped to it when one is found.
 * A number in a Messaging Service pool is found by the service sid even when
 * the number itself is not registered (spec: issue 2, item 4); a registered
 * number wins over its service.
 * @param trx a transaction no tenant has been entered in yet
 * @param number our side of the exchange (E.164): `To` on inbound, `From` on status callbacks
 * @param messagingServiceSid `MessagingServiceSid` when present
 * @returns null (and no tenant entered) when no organisation owns either; the
 *   caller must then throw, as it must when the signature does not match
 */
export async function routeTwilio(trx: TenantTx, number: string | null, messagingServiceSid: string | null): Promise<TwilioRoute | null> {
  // ingest_route_twilio returns at most one row (migration 0004), so the tenant is entered once, for that row.
  const { rows } = await sql<{ org_id: string; auth_token: string }>`
    SELECT r.org_id, r.auth_token, ${tenantEntry(sql`r.org_id`)}
    FROM ingest_route_twilio(${number ?? ''}::text, ${messagingServiceSid ?? ''}::text) r
    WHERE r.auth_token IS NOT NULL
  `.execute(trx);
  const row = rows[0];
  return row ? { orgId: row.org_id, authToken: row.auth_token } : null;
}

/**
 * The organisation owning a call we already know, by its CallSid or (for a
 * call we placed, before Twilio answered with its sid) our call id; the
 * transaction is scoped to it when one is found. For the Twilio auth token,
 * an identity of the callback's account is preferred.
 * @param trx a transaction no tenant has been entered in yet
 * @returns null (and no tenant entered) when no organisation has the call
 */
export async function routeTwilioCall(trx: TenantTx, callSid: string | null, callId: string | null, accountSid: string | null): Promise<TwilioRoute | null> {
  const { rows } = await sql<{ org_id: string; auth_token: string }>`
    SELECT r.org_id, r.auth_token, ${tenantEntry(sql`r.org_id`)}
    FROM ingest_route_twilio_call(${callSid ?? ''}::text, ${callId}::uuid, ${accountSid}::text) r
  `.execute(trx);
  const row = rows[0];
  return row ? { orgId: row.org_id, authToken: row.auth_token } : null;
}

export type WhatsAppRoutes = {
  /** `phone_number_id` → organisation, for the ids some organisation owns. */
  phoneNumbers: Map<string, string>;
  /** WhatsApp Business Account id → organisation (template webhooks). */
  wabas: Map<string, string>;
  /** The organisation the transaction is now scoped to (the smallest id found), or null when nothing was found. */
  enteredOrgId: string | null;
};

/**
 * The organisations owning each of the given WhatsApp `phone_number_id`s and
 * business accounts, in one statement that also scopes the transaction to
 * one of them (the smallest organisation id found); switch to another with
 * `enterTenant` when the batch spans several.
 * @param trx a transaction no tenant has been entered in yet
 */
export async function routeWhatsApp(trx: TenantTx, phoneNumberIds: string[], wabaIds: string[]): Promise<WhatsAppRoutes> {
  const routes: WhatsAppRoutes = { phoneNumbers: new Map(), wabas: new Map(), enteredOrgId: null };
  if (phoneNumberIds.length === 0 && wabaIds.length === 0) return routes;
  // The window minimum is the same on every row, so every row enters the same organisation.
  const { rows } = await sql<{ kind: string; address: string; waba_id: string | null; org_id: string; entered_org_id: string }>`
    SELECT r.kind, r.address, r.waba_id, r.org_id, ${tenantEntry(sql`min(r.org_id::text) OVER ()`)}
    FROM ingest_route_whatsapp(${phoneNumberIds}::text[], ${wabaIds}::text[]) r
  `.execute(trx);
  const phones = new Set(phoneNumberIds);
  const wabas = new Set(wabaIds);
  for (const r of rows) {
    if (r.kind === 'whatsapp_phone_number' && phones.has(r.address)) routes.phoneNumbers.set(r.address, r.org_id);
    if (r.waba_id !== null && wabas.has(r.waba_id)) routes.wabas.set(r.waba_id, r.org_id);
  }
  routes.enteredOrgId = rows[0]?.entered_org_id ?? null;
  return routes;
}
