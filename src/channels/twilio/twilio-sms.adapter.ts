/**
 * Twilio Programmable Messaging SMS adapter: `POST
 * {baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded,
 * HTTP Basic auth with the Auth Token or, when set, an API key
 * (provider-protocols.md §4, `twilio-auth.ts`).
 */
import { ProviderError, type ChannelAdapter, type OutboundRequest, type SendResult } from '../contract.js';
import { callProvider } from '../http-call.js';
import { twilioAuthorization } from './twilio-auth.js';
import { twilioError } from './twilio-errors.js';
import { toSendResult } from './twilio-message.js';

export type TwilioSmsConfig = {
  /** REST API base URL without trailing path, e.g. `https://api.twilio.com`. */
  baseUrl: string;
  /** `AC…`; also the Basic-auth username. */
  accountSid: string;
  /** Basic-auth password (secret) unless an API key is set. */
  authToken: string;
  /** `SK…` API key SID: with `apiKeySecret`, the Basic-auth username instead of the Account SID. */
  apiKeySid?: string | null;
  /** The API key's secret (secret). */
  apiKeySecret?: string | null;
  /** Sender number in E.164; used when set. */
  from: string | null;
  /** `MG…`; used only when `from` is null. */
  messagingServiceSid: string | null;
  /** Budget of one API call in milliseconds. */
  timeoutMs: number;
};

/**
 * Build the Twilio SMS adapter (provider `twilio`).
 *
 * `send` posts `To`, `From` (or `MessagingServiceSid` when there is no
 * `From`), `Body` and, when given, `StatusCallback`. A template request is
 * sent as its rendered `body` (SMS has no templates).
 * @throws ProviderError `bad_credentials` at creation when neither `from` nor `messagingServiceSid` is set
 * @returns an adapter whose `send` resolves to SendResult (sid, `pending`/`sent`, cost when priced)
 *   and rejects with ProviderError: `retryable` (network, timeout, 5xx, 429/20429, with
 *   retryAfterMs), `bad_credentials` (401/20003), `permanent` (other 4xx, with Twilio's code)
 */
export function createTwilioSmsAdapter(config: TwilioSmsConfig): ChannelAdapter {
  if (!config.from && !config.messagingServiceSid) {
    throw new ProviderError('bad_credentials', 'Twilio SMS needs a sender: set a Twilio phone number or a Messaging Service SID');
  }
  const url = `${config.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const authorization = twilioAuthorization(config);

  return {
    provider: 'twilio',
    async send(request: OutboundRequest): Promise<SendResult> {
      const reply = await callProvider('Twilio', {
        method: 'POST',
        url,
        headers: {
          authorization,
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: formFor(request, config).toString(),
        timeoutMs: config.timeoutMs,
      });
      if (reply.status >= 200 && reply.status < 300) return toSendResult(reply.json);
      throw twilioError(reply);
    },
  };
}

function formFor(request: OutboundRequest, config: TwilioSmsConfig): URLSearchParams {
  const form = new URLSearchParams();
  form.set('To', request.to);
  if (config.from) form.set('From', config.from);
  else if (config.messagingServiceSid) form.set('MessagingServiceSid', config.messagingServiceSid);
  form.set('Body', request.body);
  for (const m of request.media ?? []) form.append('MediaUrl', m.url);
  if (request.statusCallbackUrl) form.set('StatusCallback', request.statusCallbackUrl);
  return form;
}
