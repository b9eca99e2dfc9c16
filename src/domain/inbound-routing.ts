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

/**
 * Booking phrasings seen in real garage messages: the words (book, MOT/MOTs,
 * service, slot, appointment, availability) and the ways customers ask for
 * work without them ("can you fit me in", "bring it in Thursday", "have a
 * look at my brakes", "quote for the advisories").
 */
const BOOKING_PATTERNS = [
  /\b(book|booking|booked|appointment|mots?|services?|servicing|slots?|availability|available)\b/i,
  /\bfit (me|us|it|her|him|the car|my car) in\b/i,
  /\b(bring|drop|pop|get) (it|her|him|the car|my car|the van|my van) (in|off|round)\b/i,
  /\b(have|take) a look at\b|\blook at my\b/i,
  /\b(quote|diagnostic|health check)\b/i,
];

/** Whether a customer's message asks for a booking or for work to be done (the Booking badge's keyword rule). */
export function looksLikeBooking(body: string): boolean {
  return BOOKING_PATTERNS.some((p) => p.test(body));
}

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
  return { workOrderId: null, needsWorkOrderPick: false, contextBadge: looksLikeBooking(body) ? 'booking' : 'general' };
}
