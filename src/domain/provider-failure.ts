/**
 * Our own human reason for a provider's error code (issue 10 item 5).
 *
 * A provider's error text often quotes the recipient ("The 'To' number
 * +447700900123 is not a valid phone number", an SMTP "550 <sam@…>: no such
 * user"), so it is never what staff see as the failure reason: that is the
 * text from these tables, keyed by the provider's code, which names nobody.
 * The provider's raw text is kept apart (`messages.provider_error_text`)
 * and shown only with `customers.contact.view` (src/auth/redaction.ts).
 *
 * Sources: provider-protocols.md §3 (Twilio error codes), §8 (Graph /
 * WhatsApp Cloud API error codes), RFC 5321 §4.2 (SMTP reply codes).
 */

export type FailureProvider = 'twilio' | 'whatsapp' | 'smtp' | 'sandbox' | 'portal';

const TWILIO: Record<string, string> = {
  '20003': 'Twilio refused our credentials (check the channel settings)',
  '20429': 'Twilio is rate limiting us',
  '21211': "Invalid 'To' phone number",
  '21408': 'Sending to this region is not enabled',
  '21610': 'Recipient has unsubscribed (replied STOP)',
  '21612': "The 'To' number is not reachable by SMS",
  '21614': "'To' number is not a valid mobile number",
  '21635': "'To' number cannot be a landline",
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered by the carrier',
  '30008': 'Unknown error',
};

const WHATSAPP: Record<string, string> = {
  '0': 'WhatsApp refused our credentials (check the channel settings)',
  '190': 'The WhatsApp access token has expired or is invalid (check the channel settings)',
  '130429': 'WhatsApp throughput limit reached',
  '131000': 'WhatsApp: something went wrong',
  '131008': 'A required template parameter is missing',
  '131009': 'A template parameter value is not valid',
  '131016': 'WhatsApp service unavailable',
  '131021': 'Recipient cannot be the sender',
  '131026': 'Message undeliverable (the number may not be on WhatsApp)',
  '131047': 'More than 24 hours since the customer last replied (WhatsApp window closed)',
  '131048': 'Spam rate limit hit',
  '131049': 'Meta chose not to deliver this marketing message',
  '131050': 'The customer stopped marketing messages on WhatsApp',
  '131051': 'Unsupported message type',
  '131056': 'Too many messages to this customer in a short time',
  '132000': 'Template parameter count does not match',
  '132001': 'Template does not exist in this language',
  '132012': 'Template parameter format does not match',
  '132015': 'Template is paused',
  '132016': 'Template is disabled',
};

const SMTP: Record<string, string> = {
  '421': 'The mail server is not available right now',
  '450': 'Mailbox unavailable (try later)',
  '451': 'The mail server had a local error',
  '452': 'The mail server is out of storage',
  '530': 'The mail server requires authentication (check the SMTP settings)',
  '535': 'The mail server refused our credentials (check the SMTP settings)',
  '550': 'Mailbox unavailable (no such address, or mail refused)',
  '551': 'Recipient not local to the mail server',
  '552': 'Mailbox full',
  '553': 'Mailbox name not allowed',
  '554': 'The mail server refused the message',
};

const TABLES: Partial<Record<FailureProvider, Record<string, string>>> = { twilio: TWILIO, whatsapp: WHATSAPP, smtp: SMTP, sandbox: { ...TWILIO, ...WHATSAPP } };

const NAMES: Record<FailureProvider, string> = { twilio: 'Twilio', whatsapp: 'WhatsApp', smtp: 'SMTP', sandbox: 'Sandbox', portal: 'Portal' };

/** Our reason for `code` when the provider's table has it, else null. */
export function knownFailureReason(provider: string, code: string | null): string | null {
  return (code && TABLES[provider as FailureProvider]?.[code]) || null;
}

/**
 * @param provider who answered (`twilio`, `whatsapp`, `smtp`, …; unknown names fall back to the generic text)
 * @param code the provider's error code, or null when it gave none
 * @returns a reason for staff that quotes no contact detail
 */
export function providerFailureReason(provider: string, code: string | null): string {
  const known = knownFailureReason(provider, code);
  if (known) return known;
  const name = NAMES[provider as FailureProvider] ?? 'The provider';
  return code ? `Delivery failed (${name} error ${code})` : 'Delivery failed (no error code given)';
}
