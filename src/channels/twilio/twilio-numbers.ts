/**
 * Read a Twilio account's phone numbers: `GET
 * {baseUrl}/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json?PageSize=1000`
 * (the IncomingPhoneNumbers list resource, one page of up to 1000). It works
 * with the Auth Token and with a Standard API key (which cannot read the
 * Account resource itself), so it is how Settings > Channels checks
 * credentials before saving them.
 */
import { ProviderError } from '../contract.js';
import { callProvider, isRecord } from '../http-call.js';
import { twilioAuthorization, type TwilioRestCredentials } from './twilio-auth.js';
import { twilioError } from './twilio-errors.js';

export type TwilioNumber = { phoneNumber: string; friendlyName: string; sms: boolean; voice: boolean };

/**
 * @returns the account's numbers (E.164 `phone_number`, its friendly name and SMS/voice capability)
 * @throws ProviderError `bad_credentials` (401 / 20003), `retryable` (network, timeout, 5xx), `permanent` (other 4xx)
 */
export async function listTwilioNumbers(baseUrl: string, credentials: TwilioRestCredentials, timeoutMs: number): Promise<TwilioNumber[]> {
  const reply = await callProvider('Twilio', {
    method: 'GET',
    url: `${baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(credentials.accountSid)}/IncomingPhoneNumbers.json?PageSize=1000`,
    headers: { authorization: twilioAuthorization(credentials), accept: 'application/json' },
    timeoutMs,
  });
  if (reply.status < 200 || reply.status >= 300) throw twilioError(reply);
  const list = isRecord(reply.json) && Array.isArray(reply.json.incoming_phone_numbers) ? reply.json.incoming_phone_numbers : null;
  if (!list) throw new ProviderError('permanent', 'Twilio: the phone number list could not be read');
  return list.filter(isRecord).filter((n) => typeof n.phone_number === 'string').map((n) => {
    const capabilities = isRecord(n.capabilities) ? n.capabilities : {};
    return {
      phoneNumber: n.phone_number as string,
      friendlyName: typeof n.friendly_name === 'string' ? n.friendly_name : (n.phone_number as string),
      sms: capabilities.sms !== false,
      voice: capabilities.voice !== false,
    };
  });
}
