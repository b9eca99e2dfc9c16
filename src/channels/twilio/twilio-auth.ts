/**
 * HTTP Basic credentials for Twilio's REST API (Twilio "Make HTTP requests
 * to Twilio": the username is the Account SID with its Auth Token, or an API
 * key SID `SK…` with the key's secret; the Account SID stays in the path).
 * API keys are Twilio's preferred production credential: they can be
 * revoked on their own, and a Standard key reaches every resource but
 * `/Accounts` and `/Keys`.
 */

export type TwilioRestCredentials = {
  /** `AC…`: always the account in the request path. */
  accountSid: string;
  /** The account's Auth Token (also the key of webhook signatures). */
  authToken: string;
  /** `SK…`; when set with `apiKeySecret`, requests authenticate with the key instead of the Auth Token. */
  apiKeySid?: string | null;
  apiKeySecret?: string | null;
};

/**
 * The `Authorization` header value for one REST call.
 * @example twilioAuthorization({ accountSid: 'AC…', authToken: 't', apiKeySid: 'SK…', apiKeySecret: 's' }) // 'Basic ' + base64('SK…:s')
 */
export function twilioAuthorization(credentials: TwilioRestCredentials): string {
  const useKey = Boolean(credentials.apiKeySid && credentials.apiKeySecret);
  const user = useKey ? credentials.apiKeySid! : credentials.accountSid;
  const password = useKey ? credentials.apiKeySecret! : credentials.authToken;
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
