/**
 * Where an inbound message lands (spec: messaging-inbox.txt, "Routing for
 * inbound messages without a customer match"):
 * - a sender matching no customer: unassigned, context badge Unknown;
 * - a customer with exactly one active work order: auto-linked to it;
 * - a customer with several: flagged "Pick a work order to link";
 * - a customer with none: badge Booking when the message asks for a booking,
 *   otherwise General.
 */
import type { ContextBadge } from '../db/schema.js';

export type InboundRouting = {
  workOrderId: string | null;
  needsWorkOrderPick: boolean;
  contextBadge: ContextBadge | null;
};

const BOOKING_WORDS = /\b(book|booking|booked|appointment|mot|service|slot|availability|available)\b/i;

/**
 * Decide the work-order link and context badge for an inbound message.
 * @param customerKnown whether the sender matched a customer
 * @param activeWorkOrderIds the customer's active work orders (two are enough to know there are several)
 * @param body the message text, used only to tell Booking from General
 */
export function routeInbound(customerKnown: boolean, activeWorkOrderIds: readonly string[], body: string): InboundRouting {
  if (!customerKnown) return { workOrderId: null, needsWorkOrderPick: false, contextBadge: 'unknown' };
  const [only, second] = activeWorkOrderIds;
  if (only && !second) return { workOrderId: only, needsWorkOrderPick: false, contextBadge: null };
  if (only && second) return { workOrderId: null, needsWorkOrderPick: true, contextBadge: null };
  return { workOrderId: null, needsWorkOrderPick: false, contextBadge: BOOKING_WORDS.test(body) ? 'booking' : 'general' };
}
