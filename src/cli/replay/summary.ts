/**
 * The replay's numbers and their compact printout (pure).
 */
import type { Expectations } from './expectations.js';
import type { DeliveryReport } from './sender.js';
import { scenarioTotals, type Scenario } from './scenario.js';
import { allMessages, uniqueConversations, type Snapshot } from './snapshot.js';
import type { Check } from './verify.js';

export type ReplaySummary = {
  target: string;
  seed: string;
  runId: string;
  day: { from: string; to: string };
  requests: { sent: number; distinct: number; retries: number; attempts: number; serverErrors: number; failures: number; elapsedMs: number };
  inbound: {
    distinct: number; sms: number; mms: number; whatsapp: number; senders: number; albums: number; batches: number;
    /** Deliveries of a message beyond its first (retries, concurrent duplicates, re-delivery in a batch). */
    duplicateDeliveries: number;
    /** Distinct messages now stored that were not before. */
    stored: number;
  };
  conversations: { before: number; after: number; created: number; unseenSenders: number };
  statuses: { deliveries: number; distinct: number; outboundMessages: number; advanced: number; failed: number };
  checks: { passed: number; failed: number };
};

/** Gather the numbers of one replay. */
export function summarise(o: {
  target: string;
  scenario: Scenario;
  delivery: DeliveryReport;
  expectations: Expectations;
  before: Snapshot;
  after: Snapshot;
  checks: readonly Check[];
}): ReplaySummary {
  const { scenario, delivery, expectations, after, checks } = o;
  const totals = scenarioTotals(scenario);
  const afterInbound = new Set<string>();
  const afterStatus = new Map<string, string | null>();
  for (const { message: m } of allMessages(after)) {
    if (!m.provider || !m.providerMessageId) continue;
    if (m.direction === 'inbound') afterInbound.add(`${m.provider}:${m.providerMessageId}`);
    else afterStatus.set(`${m.provider}:${m.providerMessageId}`, m.status);
  }
  const distinctStatuses = new Set(scenario.statuses.map((s) => `${s.provider}:${s.providerMessageId}:${s.providerStatus}`));
  const beforeIds = new Set(expectations.beforeConversationIds);
  const afterConversations = uniqueConversations(after);
  return {
    target: o.target,
    seed: scenario.seed,
    runId: scenario.runId,
    day: { from: new Date(scenario.startsAt).toISOString(), to: new Date(scenario.endsAt).toISOString() },
    requests: {
      sent: delivery.requests,
      distinct: totals.distinct,
      retries: totals.retries,
      attempts: delivery.attempts,
      serverErrors: delivery.serverErrors,
      failures: delivery.failures.length,
      elapsedMs: delivery.elapsedMs,
    },
    inbound: {
      distinct: expectations.inbound.length,
      sms: scenario.inbound.filter((m) => m.kind === 'sms').length,
      mms: scenario.inbound.filter((m) => m.kind === 'mms').length,
      whatsapp: scenario.inbound.filter((m) => m.channel === 'whatsapp').length,
      senders: scenario.senders.length,
      albums: scenario.albums,
      batches: scenario.batches,
      duplicateDeliveries: totals.duplicateInboundDeliveries,
      stored: expectations.inbound.filter((m) => !m.alreadyStored && afterInbound.has(m.key)).length,
    },
    conversations: {
      before: expectations.beforeConversationIds.length,
      after: afterConversations.length,
      created: afterConversations.filter((c) => !beforeIds.has(c.id)).length,
      unseenSenders: expectations.unseenSenders.length,
    },
    statuses: {
      deliveries: totals.statusDeliveries,
      distinct: distinctStatuses.size,
      outboundMessages: new Set(scenario.statuses.map((s) => s.providerMessageId)).size,
      advanced: expectations.outbound.filter((x) => afterStatus.has(`${x.provider}:${x.providerMessageId}`) && afterStatus.get(`${x.provider}:${x.providerMessageId}`) !== x.before).length,
      failed: expectations.outbound.filter((x) => afterStatus.get(`${x.provider}:${x.providerMessageId}`) === 'failed').length,
    },
    checks: { passed: checks.filter((c) => c.passed).length, failed: checks.filter((c) => !c.passed).length },
  };
}

/**
 * The printout: a few lines of totals, then one line per check (with up to
 * `detailLines` mismatches under each failed one).
 */
export function formatSummary(s: ReplaySummary, checks: readonly Check[], detailLines = 5): string {
  const r = s.requests;
  const lines = [
    `replay seed=${s.seed} run=${s.runId} → ${s.target}`,
    `  day        ${s.day.from} … ${s.day.to}`,
    `  requests   ${r.sent} sent (${r.distinct} distinct + ${r.retries} provider retries) in ${(r.elapsedMs / 1000).toFixed(1)}s; ` +
      `${r.serverErrors} server errors retried; ${r.failures} unacknowledged`,
    `  inbound    ${s.inbound.distinct} messages (${s.inbound.sms} SMS, ${s.inbound.mms} MMS, ${s.inbound.whatsapp} WhatsApp) from ${s.inbound.senders} senders; ` +
      `${s.inbound.albums} albums, ${s.inbound.batches} WhatsApp batches, ${s.inbound.duplicateDeliveries} duplicate deliveries; ${s.inbound.stored} newly stored`,
    `  convos     ${s.conversations.before} → ${s.conversations.after}: ${s.conversations.created} created for ${s.conversations.unseenSenders} previously unseen senders`,
    `  statuses   ${s.statuses.deliveries} callbacks (${s.statuses.distinct} distinct) for ${s.statuses.outboundMessages} outbound messages; ` +
      `${s.statuses.advanced} advanced, ${s.statuses.failed} failed`,
    `  checks     ${s.checks.passed} passed, ${s.checks.failed} failed`,
  ];
  for (const c of checks) {
    lines.push(`    ${c.passed ? 'ok  ' : 'FAIL'} ${c.name} (${c.checked})`);
    if (!c.passed) {
      for (const f of c.failures.slice(0, detailLines)) lines.push(`           ${f}`);
      if (c.failures.length > detailLines) lines.push(`           … and ${c.failures.length - detailLines} more`);
    }
  }
  return lines.join('\n');
}
