/**
 * Whether the AI receptionist answers a conversation now (issue 15 "When it
 * replies"; spec: whatsapp-24-hour-window.txt "Silent inbox routing
 * (credit-exhausted orgs)"). Pure: the reply job reads the state twice —
 * when it starts, and again inside the send transaction with the
 * conversation row locked — and obeys this rule both times, so a person who
 * stepped in while the model was thinking is never talked over.
 */

/** A person's recent reply keeps the AI out of the conversation for this long: 30 minutes, in ms. */
export const STAFF_ACTIVE_MS = 30 * 60 * 1000;
/** At most one canned "credit exhausted" reply per conversation in this period: 24 hours, in ms. */
export const CANNED_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** The short reply sent while the organisation's AI credit is exhausted and the window is open. */
export const CANNED_REPLY = 'Thanks for your message. A member of our team will reply as soon as they can.';

export type AiTurnState = {
  aiEnabled: boolean;
  aiCreditExhausted: boolean;
  assigneeId: string | null;
  /** The customer's latest message (server receipt time); null when there is none. */
  latestInbound: { id: string; receivedAt: Date } | null;
  /** The inbound message this turn was started for (the job's snapshot); null at job start. */
  answeringInboundId: string | null;
  /** An AI answer is already recorded for the latest inbound message (a retried job). */
  alreadyAnswered: boolean;
  /** The newest message written by a person (staff reply, including one awaiting approval); null when none. */
  latestStaffMessageAt: Date | null;
  /** A staff message in this conversation is waiting in the Approval Queue. */
  approvalPending: boolean;
  /** The AI handed this conversation to staff and no person has replied since. */
  awaitingStaffAfterHandoff: boolean;
  /** When the last canned reply went out in this conversation; null when never. */
  lastCannedAt: Date | null;
  debounceMs: number;
  now: Date;
};

export type SilentReason =
  | 'ai_disabled' | 'no_inbound' | 'already_answered' | 'superseded' | 'assigned'
  | 'staff_replied' | 'approval_pending' | 'handed_off' | 'canned_recently_sent';

export type AiTurn =
  | { action: 'wait'; untilMs: number }
  | { action: 'silent'; reason: SilentReason }
  | { action: 'answer' }
  | { action: 'canned' };

/**
 * Decide, first match wins:
 * 1. AI off for the organisation → silent `ai_disabled`;
 * 2. no customer message → silent `no_inbound`;
 * 3. already answered → silent `already_answered` (a retried job answers nothing twice);
 * 4. at send time, a newer customer message than the one answered → silent
 *    `superseded` (its own job answers the whole burst);
 * 5. assigned to a person → silent `assigned`;
 * 6. a person wrote since the customer's message, or within STAFF_ACTIVE_MS
 *    → silent `staff_replied`;
 * 7. a staff message awaits approval → silent `approval_pending`;
 * 8. handed off to staff and no person has replied since → silent `handed_off`;
 * 9. the latest message is younger than the debounce (job start only) → wait
 *    until it is `debounceMs` old, so a burst gets one reply;
 * 10. credit exhausted → `canned`, unless one went out within
 *     CANNED_INTERVAL_MS (silent `canned_recently_sent`); the send rules
 *     then suppress it when the WhatsApp window is closed;
 * 11. otherwise → answer.
 */
export function aiTurn(s: AiTurnState): AiTurn {
  if (!s.aiEnabled) return { action: 'silent', reason: 'ai_disabled' };
  if (!s.latestInbound) return { action: 'silent', reason: 'no_inbound' };
  if (s.alreadyAnswered) return { action: 'silent', reason: 'already_answered' };
  if (s.answeringInboundId !== null && s.answeringInboundId !== s.latestInbound.id) return { action: 'silent', reason: 'superseded' };
  if (s.assigneeId !== null) return { action: 'silent', reason: 'assigned' };
  const inboundAt = s.latestInbound.receivedAt.getTime();
  if (s.latestStaffMessageAt && (s.latestStaffMessageAt.getTime() >= inboundAt || s.now.getTime() - s.latestStaffMessageAt.getTime() < STAFF_ACTIVE_MS)) {
    return { action: 'silent', reason: 'staff_replied' };
  }
  if (s.approvalPending) return { action: 'silent', reason: 'approval_pending' };
  if (s.awaitingStaffAfterHandoff) return { action: 'silent', reason: 'handed_off' };
  if (s.answeringInboundId === null) {
    const quietFor = s.now.getTime() - inboundAt;
    if (quietFor < s.debounceMs) return { action: 'wait', untilMs: inboundAt + s.debounceMs };
  }
  if (s.aiCreditExhausted) {
    if (s.lastCannedAt && s.now.getTime() - s.lastCannedAt.getTime() < CANNED_INTERVAL_MS) return { action: 'silent', reason: 'canned_recently_sent' };
    return { action: 'canned' };
  }
  return { action: 'answer' };
}

/**
 * Credits one AI reply costs: (prompt + completion tokens) / 1000 × price,
 * rounded up to 4 decimal places (the ledger's precision), never negative.
 * @throws RangeError for negative or non-finite inputs
 */
export function replyCredits(usage: { promptTokens: number; completionTokens: number }, creditsPer1kTokens: number): number {
  const tokens = usage.promptTokens + usage.completionTokens;
  if (!Number.isFinite(tokens) || tokens < 0 || !Number.isFinite(creditsPer1kTokens) || creditsPer1kTokens < 0) throw new RangeError('usage and price must be finite and not negative');
  return Math.max(0, Math.ceil((tokens * creditsPer1kTokens) / 1000 * 10_000 - 1e-9) / 10_000);
}
