/**
 * The vendor-neutral contract every outbound channel adapter implements.
 *
 * An adapter only speaks its provider's protocol: it is built from a plain
 * typed config (never reads env or the database), sends one message, and
 * classifies failures so the delivery worker decides without parsing text.
 * Consent, opt-out, the WhatsApp window and dedup rules sit above it
 * (`src/sending/`), never inside it.
 */
import type { DeliveryStatus } from '../db/schema.js';

/** A template send: the provider template name, language and named parameters in order. */
export type TemplatePayload = {
  name: string;
  /** Meta language code, e.g. `en_GB`. */
  language: string;
  /** Named body parameters in the order the template declares them. */
  params: Array<{ name: string; value: string }>;
  /**
   * An authentication template's one-time code (category AUTHENTICATION):
   * sent as the body's one positional parameter and as the COPY_CODE
   * button's parameter, as Meta requires (provider-protocols.md §11c); `params` is then ignored.
   */
  copyCode?: string;
};

export type OutboundRequest = {
  /** Our message id; adapters may pass it to the provider for correlation. */
  messageId: string;
  /** Recipient: E.164 phone for SMS/WhatsApp, an email address for email, the conversation id for portal. */
  to: string;
  /** Free-form text; for a template send, the rendered text (kept for the thread). */
  body: string;
  template?: TemplatePayload;
  /** Email only. */
  subject?: string;
  /** Photos to send with it (MMS `MediaUrl`, WhatsApp image `link`): short-lived signed URLs the provider fetches. */
  media?: Array<{ url: string; contentType: string }>;
  /** Where the provider should POST delivery-status callbacks (Twilio StatusCallback). */
  statusCallbackUrl?: string;
};

export type SendResult = {
  providerMessageId: string;
  /** Status right after acceptance: usually `sent` (or `pending` when the provider only queued it). */
  status: DeliveryStatus;
  /** Price in major units as an exact decimal string, when known at send time. */
  cost?: { amount: string; currency: string };
};

/**
 * How a failed send should be treated:
 * - `retryable`: network error, timeout, 5xx, 429: try again later;
 * - `permanent`: the provider refused this message: mark it failed;
 * - `bad_credentials`: our credentials were refused (401/403, Twilio 20003, Meta 190): failed, and staff must fix settings.
 */
export type ProviderErrorKind = 'retryable' | 'permanent' | 'bad_credentials';

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  /** The provider's own error code as a string (`21610`, `131047`), when it gave one. */
  readonly providerCode: string | null;
  /** Milliseconds the provider asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | null;

  constructor(kind: ProviderErrorKind, message: string, providerCode: string | null = null, retryAfterMs: number | null = null) {
    super(message);
    this.name = 'ProviderError';
    this.kind = kind;
    this.providerCode = providerCode;
    this.retryAfterMs = retryAfterMs;
  }
}

export type ChannelAdapter = {
  /** Provider name stored on the message (`twilio`, `whatsapp`, `smtp`, `portal`, `sandbox`). */
  readonly provider: string;
  /**
   * Send one message.
   * @throws ProviderError for every failure the provider reports or the network causes
   */
  send(request: OutboundRequest): Promise<SendResult>;
};
