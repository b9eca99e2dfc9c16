/**
 * Pick the adapter for one outbound message: the portal adapter for the
 * portal; in `OUTBOUND_PROVIDERS=sandbox` the sandbox adapter for SMS,
 * WhatsApp and email; in `live` the vendor adapter built from the
 * organisation's stored credentials. Nothing is cached: each call builds a
 * fresh adapter from its arguments (credentials can change between sends).
 */
import type { Config } from '../config.js';
import { ProviderError, type ChannelAdapter } from './contract.js';
import { createSmtpAdapter } from './email/smtp.adapter.js';
import { createPortalAdapter } from './portal/portal.adapter.js';
import { createSandboxAdapter } from './sandbox/sandbox.adapter.js';
import { createTwilioSmsAdapter } from './twilio/twilio-sms.adapter.js';
import { createWhatsAppCloudAdapter } from './whatsapp/whatsapp-cloud.adapter.js';

/** Channels we send on (voice is not a messaging channel). */
export type OutboundChannel = 'sms' | 'whatsapp' | 'email' | 'portal';

/** The organisation's provider credentials, as read from its channel identities; null when not set up. */
export type ChannelCredentials = {
  twilio: {
    accountSid: string; authToken: string; from: string | null; messagingServiceSid: string | null;
    /** A Twilio API key (`SK…` and its secret) used instead of the Auth Token to send, when set. */
    apiKeySid: string | null; apiKeySecret: string | null;
  } | null;
  whatsapp: { phoneNumberId: string; accessToken: string } | null;
  /** The organisation's sender address for email. */
  emailFrom: string | null;
};

export type RegistryConfig = Pick<
  Config,
  'OUTBOUND_PROVIDERS' | 'TWILIO_API_BASE_URL' | 'WHATSAPP_API_BASE_URL' | 'WHATSAPP_API_VERSION' | 'SMTP_URL' | 'PROVIDER_TIMEOUT_MS'
>;

/**
 * The adapter to send one message on `channel`.
 * @throws ProviderError `bad_credentials` in live mode when what the channel needs is missing:
 *   Twilio account/token/sender for SMS, WhatsApp phone number id/token, or SMTP_URL/sender address for email
 */
export function adapterFor(channel: OutboundChannel, credentials: ChannelCredentials, config: RegistryConfig): ChannelAdapter {
  if (channel === 'portal') return createPortalAdapter();
  if (config.OUTBOUND_PROVIDERS === 'sandbox') return createSandboxAdapter();
  switch (channel) {
    case 'sms':
      return twilioAdapter(credentials, config);
    case 'whatsapp':
      return whatsAppAdapter(credentials, config);
    case 'email':
      return smtpAdapter(credentials, config);
  }
}

function twilioAdapter(credentials: ChannelCredentials, config: RegistryConfig): ChannelAdapter {
  const twilio = credentials.twilio;
  if (!twilio || !twilio.accountSid || !twilio.authToken) {
    throw new ProviderError('bad_credentials', 'SMS is not set up: the Twilio Account SID and Auth Token are missing');
  }
  return createTwilioSmsAdapter({
    baseUrl: config.TWILIO_API_BASE_URL,
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    apiKeySid: twilio.apiKeySid,
    apiKeySecret: twilio.apiKeySecret,
    from: twilio.from,
    messagingServiceSid: twilio.messagingServiceSid,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
  });
}

function whatsAppAdapter(credentials: ChannelCredentials, config: RegistryConfig): ChannelAdapter {
  const whatsapp = credentials.whatsapp;
  if (!whatsapp || !whatsapp.phoneNumberId || !whatsapp.accessToken) {
    throw new ProviderError('bad_credentials', 'WhatsApp is not set up: the phone number id and access token are missing');
  }
  return createWhatsAppCloudAdapter({
    baseUrl: config.WHATSAPP_API_BASE_URL,
    apiVersion: config.WHATSAPP_API_VERSION,
    phoneNumberId: whatsapp.phoneNumberId,
    accessToken: whatsapp.accessToken,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
  });
}

function smtpAdapter(credentials: ChannelCredentials, config: RegistryConfig): ChannelAdapter {
  const missing = [
    ...(config.SMTP_URL ? [] : ['the server setting SMTP_URL']),
    ...(credentials.emailFrom ? [] : ["the garage's sender email address"]),
  ];
  if (!config.SMTP_URL || !credentials.emailFrom) {
    throw new ProviderError('bad_credentials', `Email is not set up: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
  }
  return createSmtpAdapter({ smtpUrl: config.SMTP_URL, from: credentials.emailFrom, timeoutMs: config.PROVIDER_TIMEOUT_MS });
}
