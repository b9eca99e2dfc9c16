/**
 * What a customer may see of their conversation in the portal, and how it
 * reads there (spec: portal-messages.txt "Conversation Thread", "Read
 * Receipts", Notes "the portal shows a delivery failure indicator"; issue 11
 * items 3 and 5). Pure.
 *
 * - Internal entries (staff notes, system entries of the inbox) and replies
 *   awaiting or refused approval never reach the customer.
 * - Sender: "You" for the customer's own messages; for the garage's, the
 *   staff member's name, "AI receptionist" for AI replies, else the garage's
 *   name (system messages such as the bridge SMS, and integrations).
 * - Receipts are honest per channel: a garage message is `read` only when
 *   the channel says so — the portal (the customer opened it there) or
 *   WhatsApp (Meta's read receipt); SMS and email stop at what the carrier
 *   reports. The customer's own messages are `delivered` once stored (the
 *   garage has them) and `read` when the garage opened the thread.
 */
import type { EntryChannel, EntryDirection, MessageStatus } from '../db/schema.js';

/** The fields of a stored message these rules read. */
export type ThreadMessage = {
  direction: EntryDirection;
  channel: EntryChannel;
  status: MessageStatus | null;
  aiGenerated: boolean;
  /** The staff sender's name, when a staff member sent it. */
  senderUserName: string | null;
  /** When the garage read a customer message (inbound). */
  readAt: Date | null;
};

/** What the customer sees as a message's progress. */
export type CustomerReceipt = 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

/** Whether the customer may see this message at all. */
export function customerMaySee(m: Pick<ThreadMessage, 'direction' | 'status'>): boolean {
  return m.direction !== 'internal' && m.status !== 'pending_approval' && m.status !== 'rejected';
}

/** The sender as the portal names it. */
export function portalSenderName(m: Pick<ThreadMessage, 'direction' | 'aiGenerated' | 'senderUserName'>, orgName: string): string {
  if (m.direction === 'inbound') return 'You';
  if (m.aiGenerated) return 'AI receptionist';
  return m.senderUserName ?? orgName;
}

const CHANNEL_LABELS: Record<EntryChannel, string> = { sms: 'SMS', whatsapp: 'WhatsApp', portal: 'Portal', voice: 'Call', email: 'Email', internal: 'Note' };

/** The channel's label ("SMS", "WhatsApp", "Portal", "Call", "Email"). */
export function channelLabel(channel: EntryChannel): string {
  return CHANNEL_LABELS[channel];
}

/** The progress the customer sees of a message they may see. */
export function customerReceipt(m: Pick<ThreadMessage, 'direction' | 'channel' | 'status' | 'readAt'>): CustomerReceipt {
  if (m.direction === 'inbound') return m.readAt ? 'read' : 'delivered';
  switch (m.status) {
    case 'failed': return 'failed';
    case 'read': return m.channel === 'portal' || m.channel === 'whatsapp' ? 'read' : 'delivered';
    case 'delivered': return 'delivered';
    case 'sent': return 'sent';
    default: return 'sending';
  }
}

/** Real-time event types a portal stream forwards (when the message is one the customer may see). */
export const PORTAL_EVENT_TYPES: ReadonlySet<string> = new Set(['message.created', 'message.status', 'conversation.read']);

/**
 * What a portal stream sends of an event of the customer's conversation:
 * `{ type, messageId }` for a message the customer may see (the client reads
 * it through the portal API, which applies the same rules), `{ type }` for
 * the garage having read the thread, null for anything else.
 */
export function portalEventFor(type: string, payload: Record<string, unknown>): { type: string; messageId?: string } | null {
  if (!PORTAL_EVENT_TYPES.has(type)) return null;
  if (type === 'conversation.read') return { type };
  const direction = payload.direction as EntryDirection | undefined;
  const status = (payload.status ?? null) as MessageStatus | null;
  if (!direction || typeof payload.id !== 'string' || !customerMaySee({ direction, status })) return null;
  return { type, messageId: payload.id };
}
