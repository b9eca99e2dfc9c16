/**
 * What Settings > Channels shows of an organisation's connected providers:
 * identifiers in full, secrets only as "set" with their last four
 * characters (never the value), and the webhook addresses to paste into the
 * Twilio Console and Meta's App Dashboard. Also the audit form of a
 * connection (the same view: no secret ever reaches the audit log).
 */
import type { Config } from '../config.js';
import type { TenantTx } from '../db/tenant.js';
import type { SecretBox } from '../channels/credentials/secret-box.js';

/** A stored secret as the browser sees it. */
export type MaskedSecret = { set: true; last4: string };

export type TwilioConnection = {
  accountSid: string;
  authToken: MaskedSecret;
  apiKeySid: string | null;
  apiKeySecret: MaskedSecret | null;
  /** The garage's SMS number (E.164), when one is used. */
  phoneNumber: string | null;
  /** `MG…`, when a Messaging Service sends instead of (or alongside) the number. */
  messagingServiceSid: string | null;
};
export type WhatsAppConnection = { phoneNumberId: string; wabaId: string; displayNumber: string | null; accessToken: MaskedSecret };

export type ChannelsView = {
  /** Where providers must send their webhooks (from PUBLIC_BASE_URL) and the Meta verify token. */
  webhooks: { twilioSms: string; twilioStatus: string; twilioVoice: string; whatsapp: string; whatsappVerifyToken: string };
  twilio: TwilioConnection | null;
  whatsapp: WhatsAppConnection | null;
  email: { fromAddress: string } | null;
};

/** `{set, last4}` of a stored (sealed) secret. */
export function maskSecret(stored: string, box: SecretBox): MaskedSecret {
  const plain = box.open(stored);
  return { set: true, last4: plain.length > 8 ? plain.slice(-4) : '' };
}

/** The webhook addresses of this server. */
export function webhookAddresses(config: Pick<Config, 'PUBLIC_BASE_URL' | 'WHATSAPP_VERIFY_TOKEN'>): ChannelsView['webhooks'] {
  const base = config.PUBLIC_BASE_URL;
  return {
    twilioSms: `${base}/twilio/sms`,
    twilioStatus: `${base}/twilio/status`,
    twilioVoice: `${base}/twilio/voice`,
    whatsapp: `${base}/whatsapp/webhook`,
    whatsappVerifyToken: config.WHATSAPP_VERIFY_TOKEN,
  };
}

/** The organisation's connections, masked. */
export async function loadChannelsView(trx: TenantTx, orgId: string, box: SecretBox, config: Pick<Config, 'PUBLIC_BASE_URL' | 'WHATSAPP_VERIFY_TOKEN'>): Promise<ChannelsView> {
  const rows = await trx.selectFrom('channel_identities').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
  const number = rows.find((r) => r.provider === 'twilio' && r.kind === 'phone_number');
  const service = rows.find((r) => r.provider === 'twilio' && r.kind === 'messaging_service');
  const twilio = number ?? service;
  const whatsapp = rows.find((r) => r.provider === 'whatsapp');
  const email = rows.find((r) => r.provider === 'smtp');
  return {
    webhooks: webhookAddresses(config),
    twilio: twilio && twilio.account_sid && twilio.auth_token ? {
      accountSid: twilio.account_sid,
      authToken: maskSecret(twilio.auth_token, box),
      apiKeySid: twilio.api_key_sid,
      apiKeySecret: twilio.api_key_secret ? maskSecret(twilio.api_key_secret, box) : null,
      phoneNumber: number?.address ?? null,
      messagingServiceSid: service?.address ?? null,
    } : null,
    whatsapp: whatsapp && whatsapp.access_token && whatsapp.waba_id ? {
      phoneNumberId: whatsapp.address, wabaId: whatsapp.waba_id, displayNumber: whatsapp.display_number, accessToken: maskSecret(whatsapp.access_token, box),
    } : null,
    email: email ? { fromAddress: email.address } : null,
  };
}
