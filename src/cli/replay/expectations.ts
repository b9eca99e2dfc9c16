/**
 * What the inbox must show after a replay, computed from the snapshot taken
 * before it and the scenario alone (pure). Because every expectation starts
 * from the before-snapshot, replaying twice against the same server is
 * checked just as strictly as the first time.
 *
 * The delivery-status rule is restated here rather than imported from the
 * server, so the check is independent of the code it checks: status only
 * moves forward, pending < sent < delivered < read, and failed ranks
 * highest (terminal), so the final status is the highest-ranked of the
 * previous one and every status the replay sent, whatever the arrival order.
 */
import type { ExpectedFiling } from './roster.js';
import { inboundKey, type Provider, type Scenario } from './scenario.js';
import { allMessages, conversationPhone, uniqueConversations, type ConversationView, type Snapshot } from './snapshot.js';

export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
type ContextBadge = ConversationView['contextBadge'];

const RANK: Record<DeliveryStatus, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };
const WINDOW_MS = 24 * 60 * 60 * 1000;
const WHATSAPP_STATUSES: Record<string, DeliveryStatus> = { sent: 'sent', delivered: 'delivered', read: 'read', played: 'read', failed: 'failed' };

/**
 * Our delivery status for a provider's status word (Twilio `MessageStatus`,
 * WhatsApp `statuses[].status`).
 * @returns null for words that say nothing about delivery
 */
export function deliveryStatusOf(provider: Provider, word: string): DeliveryStatus | null {
  if (provider === 'whatsapp') return WHATSAPP_STATUSES[word] ?? null;
  switch (word) {
    case 'queued': case 'accepted': case 'scheduled': case 'sending': return 'pending';
    case 'sent': return 'sent';
    case 'delivered': case 'partially_delivered': return 'delivered';
    case 'read': return 'read';
    case 'failed': case 'undelivered': case 'canceled': return 'failed';
    default: return null;
  }
}

/** True for the five delivery statuses (not e.g. a draft awaiting approval). */
export function isDeliveryStatus(status: string | null): status is DeliveryStatus {
  return status !== null && Object.hasOwn(RANK, status);
}

/** The highest-ranked of the given statuses (failed outranks everything). */
export function highestStatus(statuses: readonly DeliveryStatus[]): DeliveryStatus | null {
  let best: DeliveryStatus | null = null;
  for (const s of statuses) if (best === null || RANK[s] > RANK[best]) best = s;
  return best;
}

export type InboundExpectation = {
  key: string;
  provider: Provider;
  providerMessageId: string;
  from: string;
  channel: 'sms' | 'whatsapp';
  body: string | null;
  mediaCount: number;
  /** Already stored before the replay (a re-run with the same run id): still exactly once after. */
  alreadyStored: boolean;
};

export type SenderExpectation = {
  phone: string;
  customerName: string | null;
  filing: ExpectedFiling;
  beforeConversationId: string | null;
  workOrderNumber: string | null;
  needsWorkOrderPick: boolean;
  /** Context badges the conversation may show (General vs Booking depends on which message landed first). */
  contextBadges: ContextBadge[];
  contactName: string | null;
  /** Expected window expiry (ISO); `mustBeOpen` when the sender wrote on WhatsApp during the replay. */
  window: { expiresAt: string | null; mustBeOpen: boolean };
  /** Inbound messages the conversation must hold (the server may add outbound ones of its own). */
  inboundCount: number;
};

export type OutboundExpectation = {
  provider: Provider;
  providerMessageId: string;
  conversationId: string;
  before: DeliveryStatus | null;
  providerStatuses: string[];
  expected: DeliveryStatus | null;
  /** For a failed message: the reason/code it already had, or the codes this replay may have set. */
  failure: { kind: 'kept'; reason: string | null; code: string | null } | { kind: 'new'; codes: Array<string | null> } | null;
};

export type Expectations = {
  beforeConversationIds: string[];
  /** Senders with no conversation before the replay: each must get exactly one. */
  unseenSenders: string[];
  inbound: InboundExpectation[];
  senders: SenderExpectation[];
  outbound: OutboundExpectation[];
};

/**
 * @param before the API snapshot taken just before the replay
 * @param scenario the replayed day
 */
export function computeExpectations(before: Snapshot, scenario: Scenario): Expectations {
  const conversations = uniqueConversations(before);
  const byPhone = new Map<string, ConversationView>();
  for (const c of conversations) {
    const phone = conversationPhone(c);
    if (phone && !byPhone.has(phone)) byPhone.set(phone, c);
  }
  const storedInbound = new Set<string>();
  const inboundBefore = new Map<string, number>();
  for (const { conversation, message: m } of allMessages(before)) {
    if (m.direction !== 'inbound') continue;
    inboundBefore.set(conversation.id, (inboundBefore.get(conversation.id) ?? 0) + 1);
    if (m.provider && m.providerMessageId) storedInbound.add(inboundKey(m.provider as Provider, m.providerMessageId));
  }

  const inbound: InboundExpectation[] = [];
  const seen = new Set<string>();
  for (const m of scenario.inbound) {
    const key = inboundKey(m.provider, m.providerMessageId);
    if (seen.has(key)) continue;
    seen.add(key);
    inbound.push({ key, provider: m.provider, providerMessageId: m.providerMessageId, from: m.from, channel: m.channel, body: m.body, mediaCount: m.mediaCount, alreadyStored: storedInbound.has(key) });
  }

  const senders: SenderExpectation[] = scenario.senders.map((s) => {
    const prior = byPhone.get(s.phone) ?? null;
    const mine = inbound.filter((m) => m.from === s.phone);
    const whatsAppTimes = scenario.inbound.filter((m) => m.from === s.phone && m.timestamp !== null).map((m) => m.timestamp! * 1000);
    const linked = s.filing.kind === 'linked' ? s.filing.workOrderNumber : null;
    const workOrderNumber = prior?.workOrder?.number ?? linked;
    const needsWorkOrderPick = workOrderNumber === null && (Boolean(prior?.needsWorkOrderPick) || s.filing.kind === 'pick');
    let contextBadges: ContextBadge[];
    if (s.filing.kind === 'unknown') contextBadges = ['unknown'];
    else if (workOrderNumber !== null || needsWorkOrderPick) contextBadges = [null];
    // General vs Booking: whichever message landed first, and the AI receptionist (when on) refines
    // one into the other by what the customer wrote (src/ai/reply.job.ts), so a prior badge may change.
    else contextBadges = prior?.contextBadge === 'unknown' ? ['unknown'] : ['general', 'booking'];

    const priorExpiry = prior?.whatsappWindow.expiresAt ? Date.parse(prior.whatsappWindow.expiresAt) : null;
    const latest = whatsAppTimes.length > 0 ? Math.max(...whatsAppTimes) + WINDOW_MS : null;
    const expiry = latest === null ? priorExpiry : Math.max(latest, priorExpiry ?? latest);
    return {
      phone: s.phone,
      customerName: s.customerName,
      filing: s.filing,
      beforeConversationId: prior?.id ?? null,
      workOrderNumber,
      needsWorkOrderPick,
      contextBadges,
      contactName: whatsAppTimes.length > 0 ? s.profileName : prior?.contactName ?? null,
      window: { expiresAt: expiry === null ? null : new Date(expiry).toISOString(), mustBeOpen: whatsAppTimes.length > 0 },
      inboundCount: (prior ? inboundBefore.get(prior.id) ?? 0 : 0) + mine.filter((m) => !m.alreadyStored).length,
    };
  });

  const sentStatuses = new Map<string, Array<{ word: string; errorCode: string | null }>>();
  for (const st of scenario.statuses) {
    const key = `${st.provider}:${st.providerMessageId}`;
    const list = sentStatuses.get(key) ?? [];
    list.push({ word: st.providerStatus, errorCode: st.errorCode });
    sentStatuses.set(key, list);
  }
  const outbound: OutboundExpectation[] = [];
  for (const { conversation, message: m } of allMessages(before)) {
    if (m.direction !== 'outbound' || !m.providerMessageId || (m.provider !== 'twilio' && m.provider !== 'whatsapp')) continue;
    if (m.status !== null && !isDeliveryStatus(m.status)) continue;
    const sent = sentStatuses.get(`${m.provider}:${m.providerMessageId}`) ?? [];
    const mapped = sent.map((s) => deliveryStatusOf(m.provider as Provider, s.word)).filter((s): s is DeliveryStatus => s !== null);
    const expected = highestStatus([...(m.status ? [m.status] : []), ...mapped]);
    let failure: OutboundExpectation['failure'] = null;
    if (expected === 'failed') {
      failure = m.status === 'failed'
        ? { kind: 'kept', reason: m.failureReason, code: m.providerErrorCode }
        : { kind: 'new', codes: sent.filter((s) => deliveryStatusOf(m.provider as Provider, s.word) === 'failed').map((s) => s.errorCode) };
    }
    outbound.push({
      provider: m.provider,
      providerMessageId: m.providerMessageId,
      conversationId: conversation.id,
      before: m.status,
      providerStatuses: sent.map((s) => s.word),
      expected,
      failure,
    });
  }

  return {
    beforeConversationIds: conversations.map((c) => c.id),
    unseenSenders: scenario.senders.filter((s) => !byPhone.has(s.phone)).map((s) => s.phone),
    inbound,
    senders,
    outbound,
  };
}
