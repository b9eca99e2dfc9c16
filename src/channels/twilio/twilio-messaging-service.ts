/**
 * Check that a Messaging Service belongs to a Twilio account: `GET
 * {baseUrl}/v1/Services/{MessagingServiceSid}` on Twilio's Messaging API
 * (messaging.twilio.com, `TWILIO_MESSAGING_API_BASE_URL`), authenticated as
 * the account (Auth Token or API key). Twilio answers 404 (20404) for a
 * service of another account. How Settings › Channels verifies a Messaging
 * Service SID before saving it.
 */
import { ProviderError } from '../contract.js';
import { callProvider, isRecord } from '../http-call.js';
import { twilioAuthorization, type TwilioRestCredentials } from './twilio-auth.js';
import { twilioError } from './twilio-errors.js';

/**
 * @returns the service's friendly name
 * @throws ProviderError `permanent` with providerCode `service_not_in_account` (404), `bad_credentials` (401 / 20003), `retryable` (network, timeout, 5xx)
 */
export async function fetchTwilioMessagingService(baseUrl: string, credentials: TwilioRestCredentials, serviceSid: string, timeoutMs: number): Promise<{ friendlyName: string }> {
  const reply = await callProvider('Twilio', {
    method: 'GET',
    url: `${baseUrl.replace(/\/+$/, '')}/v1/Services/${encodeURIComponent(serviceSid)}`,
    headers: { authorization: twilioAuthorization(credentials), accept: 'application/json' },
    timeoutMs,
  });
  if (reply.status === 404) throw new ProviderError('permanent', `Messaging Service ${serviceSid} is not a service of Twilio account ${credentials.accountSid}`, 'service_not_in_account');
  if (reply.status < 200 || reply.status >= 300) throw twilioError(reply);
  if (!isRecord(reply.json) || reply.json.sid !== serviceSid) throw new ProviderError('permanent', 'Twilio: the Messaging Service could not be read');
  return { friendlyName: typeof reply.json.friendly_name === 'string' ? reply.json.friendly_name : serviceSid };
}
