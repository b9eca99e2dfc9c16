/**
 * Each provider's credential fields, described once as data (label,
 * required, secret, the channel_identities column that stores it): the
 * Channels settings form is drawn from it, secret fields are write-only in
 * the API and sealed at rest (`secret-box.ts`), and the start-up pass
 * encrypts exactly the secret columns.
 */
export type CredentialField = {
  key: string;
  label: string;
  required: boolean;
  /** Never returned by the API; encrypted in the database. */
  secret: boolean;
  column: 'address' | 'account_sid' | 'auth_token' | 'api_key_sid' | 'api_key_secret' | 'access_token' | 'waba_id';
  /** What a valid value looks like, for the form's hint and the server's check. */
  pattern?: RegExp;
  hint?: string;
};

export type CredentialProvider = 'twilio' | 'whatsapp' | 'smtp';

export const CREDENTIAL_FIELDS: Record<CredentialProvider, readonly CredentialField[]> = {
  twilio: [
    { key: 'accountSid', label: 'Account SID', required: true, secret: false, column: 'account_sid', pattern: /^AC[0-9a-fA-F]{32}$/, hint: 'AC followed by 32 characters, from the Twilio Console' },
    { key: 'authToken', label: 'Auth Token', required: true, secret: true, column: 'auth_token', hint: 'Also checks the signature of every webhook Twilio sends' },
    { key: 'apiKeySid', label: 'API Key SID (optional)', required: false, secret: false, column: 'api_key_sid', pattern: /^SK[0-9a-fA-F]{32}$/, hint: 'Send with an API key instead of the Auth Token' },
    { key: 'apiKeySecret', label: 'API Key Secret', required: false, secret: true, column: 'api_key_secret' },
  ],
  whatsapp: [
    { key: 'phoneNumberId', label: 'Phone number ID', required: true, secret: false, column: 'address', pattern: /^\d{5,20}$/ },
    { key: 'wabaId', label: 'WhatsApp Business Account ID', required: true, secret: false, column: 'waba_id', pattern: /^\d{5,20}$/ },
    { key: 'accessToken', label: 'Access token', required: true, secret: true, column: 'access_token', hint: 'A System User token with whatsapp_business_messaging and whatsapp_business_management' },
  ],
  smtp: [
    { key: 'fromAddress', label: 'Sender email address', required: true, secret: false, column: 'address', pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/ },
  ],
};

/** The channel_identities columns that hold secrets, from the field table. */
export const SECRET_COLUMNS = [...new Set(Object.values(CREDENTIAL_FIELDS).flat().filter((f) => f.secret).map((f) => f.column))] as Array<'auth_token' | 'api_key_secret' | 'access_token'>;
