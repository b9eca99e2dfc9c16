/**
 * Finds which organisation a provider request is for, before any tenant is
 * known. These lookups run as the connecting (owner) role because the
 * routing table is read across organisations; they return only the owning
 * organisation and the credentials needed to verify the request.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export type TwilioRoute = { orgId: string; authToken: string };

/**
 * The organisation owning a Twilio number or Messaging Service.
 * A number in a Messaging Service pool is found by the service sid even when
 * the number itself is not registered (spec: issue 2, item 4); a registered
 * number wins over its service.
 * @param number our side of the exchange (E.164): `To` on inbound, `From` on status callbacks
 * @param messagingServiceSid `MessagingServiceSid` when present
 */
export async function findTwilioRoute(
  db: Kysely<Database>,
  number: string | null,
  messagingServiceSid: string | null,
): Promise<TwilioRoute | null> {
  const row = await db
    .selectFrom('channel_identities')
    .select(['org_id', 'auth_token', 'kind'])
    .where('provider', '=', 'twilio')
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'phone_number'), eb('address', '=', number ?? '')]),
        eb.and([eb('kind', '=', 'messaging_service'), eb('address', '=', messagingServiceSid ?? '')]),
      ]),
    )
    .orderBy('kind', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.auth_token ? { orgId: row.org_id, authToken: row.auth_token } : null;
}

/** Organisations owning each of the given WhatsApp `phone_number_id`s. */
export async function findWhatsAppRoutes(db: Kysely<Database>, phoneNumberIds: string[]): Promise<Map<string, string>> {
  if (phoneNumberIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('channel_identities')
    .select(['address', 'org_id'])
    .where('provider', '=', 'whatsapp')
    .where('kind', '=', 'whatsapp_phone_number')
    .where('address', 'in', phoneNumberIds)
    .execute();
  return new Map(rows.map((r) => [r.address, r.org_id]));
}

/** Organisations owning each of the given WhatsApp Business Account ids (template webhooks). */
export async function findWabaRoutes(db: Kysely<Database>, wabaIds: string[]): Promise<Map<string, string>> {
  if (wabaIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('channel_identities')
    .select(['waba_id', 'org_id'])
    .where('provider', '=', 'whatsapp')
    .where('waba_id', 'in', wabaIds)
    .execute();
  return new Map(rows.map((r) => [r.waba_id!, r.org_id]));
}
