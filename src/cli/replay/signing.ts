/**
 * Signs provider requests as the providers do (pure, no I/O): Twilio's
 * `X-Twilio-Signature` with the official `twilio` package over the public
 * URL plus every form parameter; Meta's `X-Hub-Signature-256` as
 * `sha256=` + hex HMAC-SHA256 of the exact body bytes keyed with the app secret.
 */
import { createHmac } from 'node:crypto';
import twilioWebhooks from 'twilio/lib/webhooks/webhooks.js';
import type { ProviderRequest } from './scenario.js';

export type ProviderSecrets = {
  /** Twilio auth token of the garage's number and Messaging Service. */
  twilioAuthToken: string;
  whatsAppAppSecret: string;
  /** The URL the server believes providers call (its PUBLIC_BASE_URL): Twilio signs it. */
  publicBaseUrl: string;
};

export type SignedRequest = { path: string; headers: Record<string, string>; body: string };

/** `sha256=<hex>` for a WhatsApp webhook body. */
export function whatsAppSignature(appSecret: string, body: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(Buffer.from(body, 'utf8')).digest('hex')}`;
}

/** The HTTP request a provider would send for `req`, signed. */
export function signRequest(req: ProviderRequest, secrets: ProviderSecrets): SignedRequest {
  if (req.provider === 'twilio') {
    const url = secrets.publicBaseUrl.replace(/\/+$/, '') + req.path;
    return {
      path: req.path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'x-twilio-signature': twilioWebhooks.getExpectedTwilioSignature(secrets.twilioAuthToken, url, req.params),
        'i-twilio-idempotency-token': req.idempotencyToken,
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(req.params).toString(),
    };
  }
  return {
    path: req.path,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': whatsAppSignature(secrets.whatsAppAppSecret, req.body),
      'user-agent': 'facebookexternalua',
    },
    body: req.body,
  };
}
