/**
 * Everything the sending rules need to know about one conversation, read in
 * the sender's tenant transaction: the conversation (locked, so concurrent
 * sends to it decide one after another), its customer, consents and opt-out,
 * the organisation's flags and channel identities, and which channels a
 * reply may use.
 */
import type { TenantTx } from '../db/tenant.js';
import type { ConsentCategory, Conversation } from '../db/schema.js';
import { sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { HARDCODED_CONSENT_DEFAULTS } from '../domain/consent.js';
import type { ChannelCredentials } from '../channels/registry.js';
import { orgChannelsFrom, type ChannelIdentityFields } from './org-channels.js';
import { availableReplyChannels } from '../domain/reply-channel.js';

export type ReplyChannel = 'sms' | 'whatsapp' | 'portal' | 'email';

export type SendContext = {
  orgId: string;
  org: { name: string; aiEnabled: boolean; aiCreditExhausted: boolean };
  conversation: Conversation;
  customer: { id: string; name: string; phone: string | null; email: string | null } | null;
  /** Phone to reach: the customer's, or the unknown sender's. */
  phone: string | null;
  consents: Record<ConsentCategory, boolean>;
  smsOptedOut: boolean;
  hasActiveWorkOrder: boolean;
  /** The garage's SMS sender (its Twilio number, else its Messaging Service sid) and WhatsApp number, when configured. */
  smsNumber: string | null;
  whatsappNumber: string | null;
  credentials: ChannelCredentials;
  available: ReplyChannel[];
};

/**
 * The context in one statement (one round trip instead of seven: this runs
 * at compose and again at delivery for every message, issue 16): the
 * conversation locked `FOR UPDATE`, with its customer, the organisation's
 * flags, channel identities, consents, active work order and SMS opt-out as
 * sub-selects.
 * @returns null when the conversation does not exist in this organisation
 */
export async function loadSendContext(trx: TenantTx, orgId: string, conversationId: string): Promise<SendContext | null> {
  const row = await trx.selectFrom('conversations as c')
    .leftJoin('customers as cu', (j) => j.onRef('cu.org_id', '=', 'c.org_id').onRef('cu.id', '=', 'c.customer_id'))
    .selectAll('c')
    .select((eb) => [
      'cu.id as ctx_customer_id', 'cu.name as ctx_customer_name', 'cu.phone as ctx_customer_phone', 'cu.email as ctx_customer_email',
      jsonObjectFrom(eb.selectFrom('organisations as o').select(['o.name', 'o.ai_enabled', 'o.ai_credit_exhausted']).where('o.id', '=', orgId)).as('ctx_org'),
      jsonArrayFrom(eb.selectFrom('channel_identities as ci')
        .select(['ci.provider', 'ci.kind', 'ci.address', 'ci.display_number', 'ci.account_sid', 'ci.auth_token', 'ci.api_key_sid', 'ci.api_key_secret', 'ci.access_token'])
        .where('ci.org_id', '=', orgId).orderBy('ci.created_at')).as('ctx_identities'),
      jsonArrayFrom(eb.selectFrom('customer_consents as cc').select(['cc.category', 'cc.granted'])
        .where('cc.org_id', '=', orgId).whereRef('cc.customer_id', '=', 'c.customer_id')).as('ctx_consents'),
      eb.exists(eb.selectFrom('work_orders as w').select('w.id')
        .where('w.org_id', '=', orgId).whereRef('w.customer_id', '=', 'c.customer_id').where('w.status', 'not in', ['completed', 'cancelled'])).as('ctx_active_work_order'),
      eb.selectFrom('sms_opt_outs as so').select('so.opted_out')
        .where('so.org_id', '=', orgId).where(sql<boolean>`so.phone = coalesce(cu.phone, c.contact_phone)`).as('ctx_sms_opted_out'),
    ])
    .where('c.org_id', '=', orgId).where('c.id', '=', conversationId)
    .forUpdate('c')
    .executeTakeFirst();
  if (!row) return null;
  const {
    ctx_customer_id, ctx_customer_name, ctx_customer_phone, ctx_customer_email, ctx_org, ctx_identities, ctx_consents, ctx_active_work_order, ctx_sms_opted_out,
    ...conversation
  } = row;
  if (!ctx_org) throw new Error(`organisation ${orgId} not found`);
  const org = ctx_org;
  const customer = ctx_customer_id ? { id: ctx_customer_id, name: ctx_customer_name!, phone: ctx_customer_phone ?? null, email: ctx_customer_email ?? null } : undefined;
  const consents = { ...HARDCODED_CONSENT_DEFAULTS };
  if (customer) for (const c of ctx_consents) consents[c.category as ConsentCategory] = c.granted;
  const activeWorkOrder = Boolean(ctx_active_work_order);
  const phone = customer?.phone ?? conversation.contact_phone;
  const channels = orgChannelsFrom(ctx_identities as ChannelIdentityFields[]);
  const available = availableReplyChannels({ phone, customer: customer ?? null, configured: channels.configured });
  return {
    orgId,
    org: { name: org.name, aiEnabled: org.ai_enabled, aiCreditExhausted: org.ai_credit_exhausted },
    conversation,
    customer: customer ?? null,
    phone,
    consents,
    smsOptedOut: phone ? ctx_sms_opted_out === true : false,
    hasActiveWorkOrder: activeWorkOrder,
    smsNumber: channels.smsNumber,
    whatsappNumber: channels.whatsappNumber,
    credentials: channels.credentials,
    available,
  };
}
