/**
 * Sends provider requests the way Twilio and Meta do, signed independently
 * of the code under test: Twilio signatures with the official `twilio`
 * package's `getExpectedTwilioSignature`, WhatsApp signatures with Node's
 * crypto HMAC-SHA256 over the exact body bytes.
 */
import { createHmac } from 'node:crypto';
import twilioWebhooks from 'twilio/lib/webhooks/webhooks.js';
import { PUBLIC_BASE_URL, WHATSAPP_APP_SECRET } from './server.js';

export type Sent = { status: number; body: string };

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return twilioWebhooks.getExpectedTwilioSignature(authToken, url, params);
}

/**
 * POST a form-encoded Twilio webhook to `baseUrl + path`, signed for `PUBLIC_BASE_URL + path`.
 * @param signature override the signature (negative tests); null omits the header
 */
export async function postTwilio(
  baseUrl: string,
  path: string,
  params: Record<string, string>,
  authToken: string,
  signature?: string | null,
): Promise<Sent> {
  const sig = signature === undefined ? twilioSignature(authToken, PUBLIC_BASE_URL + path, params) : signature;
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(sig === null ? {} : { 'x-twilio-signature': sig }) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.text() };
}

/** POST a raw, already-encoded body with the given signature header (replaying recorded requests). */
export async function postRaw(baseUrl: string, path: string, contentType: string, body: string, headers: Record<string, string>): Promise<Sent> {
  const res = await fetch(baseUrl + path, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  return { status: res.status, body: await res.text() };
}

export function whatsAppSignature(body: string, secret = WHATSAPP_APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** POST a WhatsApp webhook body (string, sent byte for byte), signed unless a signature is given. */
export async function postWhatsApp(baseUrl: string, body: string, signature?: string | null): Promise<Sent> {
  const sig = signature === undefined ? whatsAppSignature(body) : signature;
  return postRaw(baseUrl, '/whatsapp/webhook', 'application/json', body, sig === null ? {} : { 'x-hub-signature-256': sig });
}

/** Inbound SMS params as Twilio sends them (provider-protocols.md §1). */
export function smsParams(o: { sid: string; from: string; to: string; body?: string; messagingServiceSid?: string; extra?: Record<string, string> }): Record<string, string> {
  return {
    ToCountry: 'GB', ToState: '', SmsMessageSid: o.sid, NumMedia: '0', ToCity: '', FromZip: '', SmsSid: o.sid,
    FromState: '', SmsStatus: 'received', FromCity: '', Body: o.body ?? 'Hello', FromCountry: 'GB', To: o.to, ToZip: '',
    NumSegments: '1', MessageSid: o.sid, AccountSid: 'AC' + '0'.repeat(32), From: o.from, ApiVersion: '2010-04-01',
    ...(o.messagingServiceSid ? { MessagingServiceSid: o.messagingServiceSid } : {}),
    ...o.extra,
  };
}

let sidCounter = 0;
/** A fresh 34-character Twilio message sid. */
export function newSid(prefix: 'SM' | 'MM' = 'SM'): string {
  sidCounter++;
  return prefix + (Date.now().toString(16) + process.pid.toString(16) + sidCounter.toString(16)).padStart(32, '0').slice(-32);
}

/** A WhatsApp `messages` webhook envelope for one phone number. */
export function whatsAppEnvelope(phoneNumberId: string, value: { messages?: unknown[]; statuses?: unknown[]; contacts?: unknown[] }): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '447700900100', phone_number_id: phoneNumberId }, ...value } }] }],
  });
}
