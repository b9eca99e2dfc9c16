/**
 * Delivery status only moves forward: pending < sent < delivered < read, and
 * failed is terminal. Providers send status callbacks as independent HTTP
 * requests in no guaranteed order (provider-protocols.md §3 "Ordering
 * caveats", §7 "Status order is not guaranteed"), so the stored status is the
 * highest-ranked status seen. Ranking failed highest makes the result the
 * same whatever order callbacks arrive in.
 */
import type { DeliveryStatus, MessageStatus } from '../db/schema.js';

const RANK: Record<DeliveryStatus, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** Whether a message status is a delivery status (not a stage of the approval queue). */
export function isDeliveryStatus(status: MessageStatus): status is DeliveryStatus {
  return status in RANK;
}

/** The status to store after `incoming` arrives for a message now at `current`. */
export function nextDeliveryStatus(current: DeliveryStatus, incoming: DeliveryStatus): DeliveryStatus {
  return RANK[incoming] > RANK[current] ? incoming : current;
}

/**
 * Map a Twilio `MessageStatus` (twilio-node `MessageStatus`) to ours.
 * @returns null for statuses that say nothing about an outbound message's delivery (`receiving`, `received`)
 */
export function fromTwilioStatus(status: string): DeliveryStatus | null {
  switch (status) {
    case 'queued':
    case 'accepted':
    case 'scheduled':
    case 'sending':
      return 'pending';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'partially_delivered':
      return 'delivered';
    case 'read':
      return 'read';
    case 'failed':
    case 'undelivered':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}

/**
 * Map a WhatsApp Cloud API `statuses[].status` to ours (`played`, for voice
 * notes, counts as read).
 * @returns null for values that are not delivery states (`deleted`)
 */
export function fromWhatsAppStatus(status: string): DeliveryStatus | null {
  switch (status) {
    case 'sent':
      return 'sent';
    case 'delivered':
      return 'delivered';
    case 'read':
    case 'played':
      return 'read';
    case 'failed':
      return 'failed';
    default:
      return null;
  }
}
