/**
 * The organisation's outbound channels as its channel identities describe
 * them: the credentials the adapters need (still sealed: open them with
 * `openCredentials`), the SMS and WhatsApp sender numbers, and which channels
 * are set up at all.
 */
import type { TenantTx } from '../db/tenant.js';
import type { ChannelCredentials } from '../channels/registry.js';

export type OrgChannels = {
  credentials: ChannelCredentials;
  /** The garage's SMS sender (its Twilio number, else its Messaging Service sid), when configured. */
  smsNumber: string | null;
  /** The garage's WhatsApp number as shown to people, when configured. */
  whatsappNumber: string | null;
  configured: { sms: boolean; whatsapp: boolean; email: boolean };
};

/** The columns of a `channel_identities` row the channels are built from. */
export type ChannelIdentityFields = {
  provider: string; kind: string; address: string; display_number: string | null;
  account_sid: string | null; auth_token: string | null; api_key_sid: string | null; api_key_secret: string | null; access_token: string | null;
};

/** Pure: the channels from the organisation's identities, oldest first (the oldest identity of each kind wins). */
export function orgChannelsFrom(identities: readonly ChannelIdentityFields[]): OrgChannels {
  const twilioNumber = identities.find((i) => i.provider === 'twilio' && i.kind === 'phone_number');
  const twilioService = identities.find((i) => i.provider === 'twilio' && i.kind === 'messaging_service');
  const twilio = twilioNumber ?? twilioService;
  const whatsapp = identities.find((i) => i.provider === 'whatsapp');
  const email = identities.find((i) => i.provider === 'smtp');
  return {
    credentials: {
      twilio: twilio && twilio.account_sid && twilio.auth_token
        ? {
          accountSid: twilio.account_sid, authToken: twilio.auth_token, apiKeySid: twilio.api_key_sid, apiKeySecret: twilio.api_key_secret,
          from: twilioNumber?.address ?? null, messagingServiceSid: twilioService?.address ?? null,
        }
        : null,
      whatsapp: whatsapp?.access_token ? { phoneNumberId: whatsapp.address, accessToken: whatsapp.access_token } : null,
      emailFrom: email?.address ?? null,
    },
    smsNumber: twilio?.address ?? null,
    whatsappNumber: whatsapp?.display_number ?? null,
    configured: { sms: Boolean(twilio), whatsapp: Boolean(whatsapp), email: Boolean(email) },
  };
}

/** Read in the caller's tenant transaction. */
export async function loadOrgChannels(trx: TenantTx, orgId: string): Promise<OrgChannels> {
  return orgChannelsFrom(await trx.selectFrom('channel_identities').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute());
}
