/**
 * Everything the sending rules need to know about one conversation, read in
 * the sender's tenant transaction: the conversation (locked, so concurrent
 * sends to it decide one after another), its customer, consents and opt-out,
 * the organisation's flags and channel identities, and which channels a
 * reply may use.
 */
import type { TenantTx } from '../db/tenant.js';
import type { ConsentCategory, Conversation } from '../db/schema.js';
import { isSmsOptedOut, loadConsents } from '../consent/consent.repository.js';
import type { ChannelCredentials } from '../channels/registry.js';
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

/** @returns null when the conversation does not exist in this organisation */
export async function loadSendContext(trx: TenantTx, orgId: string, conversationId: string): Promise<SendContext | null> {
  const conversation = await trx.selectFrom('conversations').selectAll().where('org_id', '=', orgId).where('id', '=', conversationId).forUpdate().executeTakeFirst();
  if (!conversation) return null;
  const org = await trx.selectFrom('organisations').select(['name', 'ai_enabled', 'ai_credit_exhausted']).where('id', '=', orgId).executeTakeFirstOrThrow();
  const customer = conversation.customer_id
    ? await trx.selectFrom('customers').select(['id', 'name', 'phone', 'email']).where('org_id', '=', orgId).where('id', '=', conversation.customer_id).executeTakeFirst()
    : undefined;
  const identities = await trx.selectFrom('channel_identities').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
  const activeWorkOrder = conversation.customer_id
    ? await trx.selectFrom('work_orders').select('id').where('org_id', '=', orgId).where('customer_id', '=', conversation.customer_id).where('status', 'not in', ['completed', 'cancelled']).limit(1).executeTakeFirst()
    : undefined;
  const phone = customer?.phone ?? conversation.contact_phone;
  const twilioNumber = identities.find((i) => i.provider === 'twilio' && i.kind === 'phone_number');
  const twilioService = identities.find((i) => i.provider === 'twilio' && i.kind === 'messaging_service');
  const twilio = twilioNumber ?? twilioService;
  const whatsapp = identities.find((i) => i.provider === 'whatsapp');
  const email = identities.find((i) => i.provider === 'smtp');
  const credentials: ChannelCredentials = {
    twilio: twilio && twilio.account_sid && twilio.auth_token
      ? { accountSid: twilio.account_sid, authToken: twilio.auth_token, from: twilioNumber?.address ?? null, messagingServiceSid: twilioService?.address ?? null }
      : null,
    whatsapp: whatsapp?.access_token ? { phoneNumberId: whatsapp.address, accessToken: whatsapp.access_token } : null,
    emailFrom: email?.address ?? null,
  };
  const available = availableReplyChannels({ phone, customer: customer ?? null, configured: { sms: Boolean(twilio), whatsapp: Boolean(whatsapp), email: Boolean(email) } });
  return {
    orgId,
    org: { name: org.name, aiEnabled: org.ai_enabled, aiCreditExhausted: org.ai_credit_exhausted },
    conversation,
    customer: customer ?? null,
    phone,
    consents: await loadConsents(trx, orgId, customer?.id ?? null),
    smsOptedOut: phone ? await isSmsOptedOut(trx, orgId, phone) : false,
    hasActiveWorkOrder: Boolean(activeWorkOrder),
    smsNumber: twilio?.address ?? null,
    whatsappNumber: whatsapp?.display_number ?? null,
    credentials,
    available,
  };
}
