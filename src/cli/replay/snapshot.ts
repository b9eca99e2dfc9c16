/**
 * What the read API showed at one moment (types and pure helpers; reading
 * it over HTTP is `api-reader.ts`).
 */
import type { ConversationView, MessageView } from '../../api/conversations/conversation.presenter.js';
import type { OutboundRef } from './scenario.js';

export type { ConversationView, MessageView };

/** Statuses of a message handed to a provider (not drafts awaiting approval or rejected ones). */
const DELIVERY_STATUSES = new Set(['pending', 'sent', 'delivered', 'read', 'failed']);

export type Snapshot = {
  takenAt: Date;
  /** Conversations exactly as listed, page after page (a repeat here is a pagination fault). */
  conversations: ConversationView[];
  /** Each conversation's messages, oldest first, exactly as paged back with `before`. */
  messages: Map<string, MessageView[]>;
  /** API requests it took to read. */
  apiRequests: number;
};

/** The phone a conversation is with: its customer's, or the unmatched sender's. */
export function conversationPhone(c: ConversationView): string | null {
  return c.customer?.phone ?? c.contactPhone;
}

/**
 * Outbound messages handed to Twilio or WhatsApp that the snapshot shows
 * (with the phone they went to), in a stable order: the messages the
 * replay sends callbacks for.
 */
export function outboundRefs(snapshot: Snapshot): OutboundRef[] {
  const refs: OutboundRef[] = [];
  for (const c of uniqueConversations(snapshot)) {
    const phone = conversationPhone(c);
    if (!phone) continue;
    for (const m of snapshot.messages.get(c.id) ?? []) {
      if (m.direction !== 'outbound' || !m.providerMessageId) continue;
      if (m.provider !== 'twilio' && m.provider !== 'whatsapp') continue;
      if (m.status !== null && !DELIVERY_STATUSES.has(m.status)) continue;
      refs.push({ provider: m.provider, providerMessageId: m.providerMessageId, recipientPhone: phone });
    }
  }
  return refs.sort((a, b) => a.providerMessageId.localeCompare(b.providerMessageId));
}

/** Every message of the snapshot with the conversation it is in. */
export function allMessages(snapshot: Snapshot): Array<{ conversation: ConversationView; message: MessageView }> {
  const out: Array<{ conversation: ConversationView; message: MessageView }> = [];
  for (const c of uniqueConversations(snapshot)) for (const m of snapshot.messages.get(c.id) ?? []) out.push({ conversation: c, message: m });
  return out;
}

/** The listed conversations without repeats (first listing wins). */
export function uniqueConversations(snapshot: Snapshot): ConversationView[] {
  const seen = new Map<string, ConversationView>();
  for (const c of snapshot.conversations) if (!seen.has(c.id)) seen.set(c.id, c);
  return [...seen.values()];
}
