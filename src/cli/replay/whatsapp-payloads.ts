/**
 * WhatsApp Cloud API webhook bodies as Meta sends them
 * (provider-protocols.md §7): the `whatsapp_business_account` envelope,
 * timestamps as unix-second strings, and Meta's JSON escaping (non-ASCII as
 * `\uXXXX`, `/` as `\/`), so the signature covers exactly those bytes.
 */

export type WaContact = { profile: { name: string }; wa_id: string };
export type WaMessage = Record<string, unknown> & { from: string; id: string; timestamp: string; type: string };
export type WaStatus = Record<string, unknown> & { id: string; status: string; timestamp: string; recipient_id: string };

/** One `changes[]` item of field `messages` for one business phone number. */
export type WaChange = {
  phoneNumberId: string;
  displayPhoneNumber: string;
  contacts: WaContact[];
  messages: WaMessage[];
  statuses: WaStatus[];
};

/** The WhatsApp Business Account id the demo number belongs to (fixed, fake). */
export const DEMO_WABA_ID = '102290129340398';

/**
 * Serialise like Meta: plain JSON with every non-ASCII UTF-16 unit as
 * `\uXXXX` and every `/` as `\/`.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

/**
 * A webhook body. Each inner array is one `entry` holding those changes
 * (Meta groups several changes, and several entries, into one POST).
 */
export function whatsAppWebhookBody(entries: WaChange[][]): string {
  return metaJson({
    object: 'whatsapp_business_account',
    entry: entries.map((changes) => ({
      id: DEMO_WABA_ID,
      changes: changes.map((c) => ({
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: c.displayPhoneNumber, phone_number_id: c.phoneNumberId },
          ...(c.contacts.length > 0 ? { contacts: c.contacts } : {}),
          ...(c.messages.length > 0 ? { messages: c.messages } : {}),
          ...(c.statuses.length > 0 ? { statuses: c.statuses } : {}),
        },
        field: 'messages',
      })),
    })),
  });
}

/** Unix seconds as Meta writes them: a decimal string. */
export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

/** A customer's text message. */
export function waText(from: string, id: string, ts: string, body: string): WaMessage {
  return { from, id, timestamp: ts, type: 'text', text: { body } };
}

/** A photo (or a document) with an optional caption. */
export function waMedia(
  from: string,
  id: string,
  ts: string,
  kind: 'image' | 'document',
  media: { id: string; mimeType: string; sha256: string; caption?: string; filename?: string },
): WaMessage {
  return {
    from,
    id,
    timestamp: ts,
    type: kind,
    [kind]: {
      ...(media.caption ? { caption: media.caption } : {}),
      ...(media.filename ? { filename: media.filename } : {}),
      mime_type: media.mimeType,
      sha256: media.sha256,
      id: media.id,
    },
  };
}

/** A tap on a template's quick-reply button, replying to our message `contextId`. */
export function waButton(from: string, id: string, ts: string, text: string, payload: string, business: string, contextId: string): WaMessage {
  return { context: { from: business, id: contextId }, from, id, timestamp: ts, type: 'button', button: { payload, text } };
}

/** A reply to an interactive message: a reply button or a list row. */
export function waInteractive(
  from: string,
  id: string,
  ts: string,
  kind: 'button_reply' | 'list_reply',
  reply: { id: string; title: string; description?: string },
  business: string,
  contextId: string,
): WaMessage {
  return { context: { from: business, id: contextId }, from, id, timestamp: ts, type: 'interactive', interactive: { type: kind, [kind]: reply } };
}

/** A shared location pin. */
export function waLocation(from: string, id: string, ts: string, loc: { latitude: number; longitude: number; name: string; address: string }): WaMessage {
  return { from, id, timestamp: ts, type: 'location', location: loc };
}

/**
 * A delivery status for one of our outbound messages, with the pricing and
 * conversation blocks Meta adds to `sent`/`delivered`, and an `errors[]`
 * entry on `failed`.
 */
export function waStatus(o: {
  id: string;
  status: string;
  ts: string;
  recipient: string;
  conversationId: string;
  error: { code: number; title: string; details: string } | null;
}): WaStatus {
  const base: WaStatus = { id: o.id, status: o.status, timestamp: o.ts, recipient_id: o.recipient };
  if (o.status === 'failed') {
    const e = o.error ?? { code: 131000, title: 'Something went wrong', details: 'Message failed to send.' };
    return {
      ...base,
      errors: [{ code: e.code, title: e.title, message: e.title, error_data: { details: e.details }, href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/' }],
    };
  }
  if (o.status === 'sent' || o.status === 'delivered') {
    return {
      ...base,
      conversation: {
        id: o.conversationId,
        ...(o.status === 'sent' ? { expiration_timestamp: String(Number(o.ts) + 86_400) } : {}),
        origin: { type: 'service' },
      },
      pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
    };
  }
  return base;
}
