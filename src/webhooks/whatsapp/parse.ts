/**
 * Maps WhatsApp Cloud API webhook items to our inbound messages and
 * delivery-status events.
 */
import type { MediaItem } from '../../db/schema.js';
import type { InboundMessage } from '../../ingest/record-inbound.js';
import type { DeliveryStatusEvent } from '../../ingest/apply-delivery-status.js';
import { fromWhatsAppId } from '../../domain/phone.js';
import { fromWhatsAppStatus } from '../../domain/delivery-status.js';
import { providerFailureReason } from '../../domain/provider-failure.js';
import { AppError } from '../../server/errors.js';
import type { WhatsAppMessage, WhatsAppMessagesValue, WhatsAppStatus } from './payload.schema.js';

const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;

function fromUnixSeconds(ts: string): Date {
  return new Date(Number(ts) * 1000);
}

/** Text shown for a message, and what else it carried. */
function content(m: WhatsAppMessage): { body: string; media: MediaItem[]; metadata: Record<string, unknown> } {
  const context = m.context ? { context: m.context } : {};
  for (const type of MEDIA_TYPES) {
    const item = m[type];
    if (m.type === type && item) {
      return {
        body: item.caption ?? '',
        media: [{ contentType: item.mime_type, providerMediaId: item.id, ...(item.caption ? { caption: item.caption } : {}), ...(item.filename ? { filename: item.filename } : {}) }],
        metadata: context,
      };
    }
  }
  if (m.type === 'text' && m.text) return { body: m.text.body, media: [], metadata: context };
  if (m.type === 'button' && m.button) return { body: m.button.text, media: [], metadata: { ...context, buttonPayload: m.button.payload ?? null } };
  if (m.type === 'interactive' && m.interactive) {
    const reply = m.interactive.button_reply ?? m.interactive.list_reply;
    return { body: reply?.title ?? '', media: [], metadata: { ...context, interactiveType: m.interactive.type, replyId: reply?.id ?? null } };
  }
  if (m.type === 'location' && m.location) {
    const { latitude, longitude, name, address } = m.location;
    const label = [name, address].filter(Boolean).join(', ');
    return { body: `Location: ${latitude},${longitude}${label ? ` (${label})` : ''}`, media: [], metadata: { ...context, location: m.location } };
  }
  if (m.type === 'reaction' && m.reaction) return { body: m.reaction.emoji ?? '', media: [], metadata: { ...context, reaction: m.reaction } };
  return { body: '', media: [], metadata: { ...context, unsupported: true, ...(m.errors ? { errors: m.errors } : {}) } };
}

/**
 * @throws AppError `malformed_payload` when the sender is not a WhatsApp id
 */
export function parseWhatsAppMessage(m: WhatsAppMessage, value: WhatsAppMessagesValue): InboundMessage {
  const from = fromWhatsAppId(m.from);
  if (!from) throw new AppError('malformed_payload', `messages[].from "${m.from}" is not a WhatsApp id.`);
  const contact = value.contacts?.find((c) => c.wa_id === m.from);
  return {
    channel: 'whatsapp',
    provider: 'whatsapp',
    providerMessageId: m.id,
    from,
    contactName: contact?.profile?.name || null,
    contentType: m.type,
    ...content(m),
    occurredAt: fromUnixSeconds(m.timestamp),
    providerClock: true,
  };
}

/** @returns null for statuses that are not delivery states */
export function parseWhatsAppStatus(s: WhatsAppStatus): DeliveryStatusEvent | null {
  const status = fromWhatsAppStatus(s.status);
  if (!status) return null;
  const err = s.errors?.[0];
  return {
    provider: 'whatsapp',
    providerMessageId: s.id,
    providerStatus: s.status,
    status,
    errorCode: err ? String(err.code) : null,
    failureReason: status === 'failed' ? providerFailureReason('whatsapp', err ? String(err.code) : null) : null,
    providerErrorText: status === 'failed' ? (err?.error_data?.details ?? err?.message ?? err?.title ?? null) : null,
    occurredAt: fromUnixSeconds(s.timestamp),
    cost: null,
    costCurrency: null,
    pricing: s.pricing || s.conversation ? { ...(s.pricing ? { pricing: s.pricing } : {}), ...(s.conversation ? { conversation: s.conversation } : {}) } : null,
  };
}
