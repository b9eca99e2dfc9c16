/**
 * What happens to an outbound WhatsApp message given the 24-hour customer
 * service window, and whether a bridge SMS goes out instead (spec:
 * whatsapp-24-hour-window.txt "Understand what happens when the AI hits a
 * closed window", "Know the bridge SMS dedup rule";
 * portal-messaging-fallback.txt "Understand the automatic SMS bridge",
 * "Know the bridge deduplication rule"; provider-protocols.md §9).
 */
import type { WindowState } from './whatsapp-window.js';

/** Minimum time between two bridge SMS in one conversation: 24 hours, in milliseconds. */
export const BRIDGE_INTERVAL_MS = 24 * 60 * 60 * 1000;

export type BridgeDecisionInput = {
  /** The customer's phone in E.164; null or blank when none is on file. */
  customerPhone: string | null;
  /** Whether that phone has opted out of SMS (STOP). */
  smsOptedOut: boolean;
  /** The org's SMS-capable number; null when SMS is not set up. */
  orgSmsNumber: string | null;
  /** When this conversation's last bridge SMS was sent; null if never. */
  lastBridgeSentAt: Date | null;
  now: Date;
};

export type BridgeBlockedReason = 'window_expired_no_phone' | 'window_expired_sms_opted_out' | 'window_expired_no_sms_number' | 'window_expired_consent_blocked';

export type BridgeDecision =
  | { action: 'send' }
  | { action: 'suppress'; reason: 'window_expired_bridge_recently_sent' }
  | { action: 'blocked'; reason: BridgeBlockedReason };

/**
 * Whether to send a bridge SMS for a free-form WhatsApp message that met a
 * closed window. Checks, first match wins:
 * 1. no customer phone → blocked `window_expired_no_phone` (opt-out is keyed by phone, so nothing else can be judged);
 * 2. phone opted out of SMS → blocked `window_expired_sms_opted_out`;
 * 3. org has no SMS number → blocked `window_expired_no_sms_number`;
 * 4. a bridge went out less than BRIDGE_INTERVAL_MS ago → suppress
 *    `window_expired_bridge_recently_sent` (the message routes silently);
 * 5. otherwise send.
 * Blocks come before dedup so the reason staff see is the lasting obstacle,
 * not a transient one. The interval is inclusive at its end: a new bridge is
 * allowed exactly 24 h after the last (at `last + BRIDGE_INTERVAL_MS`), not
 * 1 ms before. A `lastBridgeSentAt` after `now` (clock skew) suppresses.
 */
export function bridgeDecision(input: BridgeDecisionInput): BridgeDecision {
  if (!input.customerPhone?.trim()) return { action: 'blocked', reason: 'window_expired_no_phone' };
  if (input.smsOptedOut) return { action: 'blocked', reason: 'window_expired_sms_opted_out' };
  if (!input.orgSmsNumber?.trim()) return { action: 'blocked', reason: 'window_expired_no_sms_number' };
  if (input.lastBridgeSentAt && input.now.getTime() - input.lastBridgeSentAt.getTime() < BRIDGE_INTERVAL_MS) {
    return { action: 'suppress', reason: 'window_expired_bridge_recently_sent' };
  }
  return { action: 'send' };
}

export type WhatsAppSendPlanInput = {
  kind: 'free_form' | 'template';
  /** Who is sending: a staff member, the AI, or an automated system message. */
  sender: 'staff' | 'ai' | 'system';
  window: WindowState;
  /** Whether the org's AI is in credit-exhaustion degradation. */
  aiCreditExhausted: boolean;
};

export type WhatsAppSendPlan = 'send' | 'bridge' | 'suppress_ai' | 'reject_window_closed';

/**
 * How to handle an outbound WhatsApp message given the window:
 * - a template → `send` in any window state (templates never need the window
 *   and never open or extend it);
 * - free-form in an open window → `send`;
 * - free-form in a closed window (`expired` or `never_opened`):
 *   - from the system → `reject_window_closed` (automated messages must use templates);
 *   - from the AI while credit is exhausted → `suppress_ai`: send nothing at
 *     all, not even a bridge (the inbound routes silently to the inbox);
 *   - from staff, or the AI otherwise → `bridge` (see bridgeDecision).
 * `aiCreditExhausted` only matters for the AI in a closed window.
 */
export function whatsAppSendPlan(input: WhatsAppSendPlanInput): WhatsAppSendPlan {
  if (input.kind === 'template' || input.window === 'open') return 'send';
  if (input.sender === 'system') return 'reject_window_closed';
  if (input.sender === 'ai' && input.aiCreditExhausted) return 'suppress_ai';
  return 'bridge';
}
