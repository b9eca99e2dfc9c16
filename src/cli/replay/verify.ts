/**
 * Compares the after-snapshot with the expectations (pure). Each check
 * reports how many things it looked at and a line per mismatch.
 */
import type { Expectations } from './expectations.js';
import { allMessages, conversationPhone, uniqueConversations, type ConversationView, type MessageView, type Snapshot } from './snapshot.js';

export type Check = { name: string; passed: boolean; checked: number; failures: string[] };

function check(name: string, checked: number, failures: string[]): Check {
  return { name, passed: failures.length === 0, checked, failures };
}

/**
 * The check that every webhook was eventually acknowledged with a 2xx.
 * @param failures one line per request that was not
 */
export function deliveryCheck(requests: number, failures: readonly string[]): Check {
  return check('every webhook acknowledged (2xx)', requests, [...failures]);
}

/**
 * The strict check that no attempt was answered with a 5xx (or dropped):
 * providers retry those, so data survives them, but each is a server fault.
 * @param samples what the first few said
 */
export function serverErrorCheck(attempts: number, serverErrors: number, samples: readonly string[]): Check {
  return check('no server errors (5xx) on the way', attempts, serverErrors === 0 ? [] : [`${serverErrors} attempts answered 5xx or dropped, then retried`, ...samples]);
}

/** Run every check of the after-snapshot against the expectations. */
export function verifyReplay(exp: Expectations, after: Snapshot): Check[] {
  const conversations = uniqueConversations(after);
  const conversationById = new Map(conversations.map((c) => [c.id, c]));
  const byPhone = new Map<string, ConversationView[]>();
  for (const c of conversations) {
    const phone = conversationPhone(c);
    if (!phone) continue;
    byPhone.set(phone, [...(byPhone.get(phone) ?? []), c]);
  }
  const inboundByKey = new Map<string, Array<{ conversation: ConversationView; message: MessageView }>>();
  const outboundByKey = new Map<string, MessageView>();
  for (const entry of allMessages(after)) {
    const m = entry.message;
    if (!m.provider || !m.providerMessageId) continue;
    const key = `${m.provider}:${m.providerMessageId}`;
    if (m.direction === 'inbound') inboundByKey.set(key, [...(inboundByKey.get(key) ?? []), entry]);
    else outboundByKey.set(key, m);
  }
  const checks: Check[] = [];

  // Exactly once, however many times and ways it was delivered.
  checks.push(check('inbound messages stored exactly once', exp.inbound.length, exp.inbound.flatMap((m) => {
    const n = inboundByKey.get(m.key)?.length ?? 0;
    return n === 1 ? [] : [`${m.key} from ${m.from}: stored ${n} times`];
  })));

  checks.push(check("inbound messages in their sender's conversation, content intact", exp.inbound.length, exp.inbound.flatMap((m) => {
    const stored = inboundByKey.get(m.key)?.[0];
    if (!stored) return [];
    const problems: string[] = [];
    const phone = conversationPhone(stored.conversation);
    if (phone !== m.from) problems.push(`in the conversation with ${phone}, not ${m.from}`);
    if (stored.message.channel !== m.channel) problems.push(`channel ${stored.message.channel}, sent as ${m.channel}`);
    if (m.body !== null && stored.message.body !== m.body) problems.push(`body ${JSON.stringify(stored.message.body)}, sent ${JSON.stringify(m.body)}`);
    if (stored.message.media.length !== m.mediaCount) problems.push(`${stored.message.media.length} media, sent ${m.mediaCount}`);
    return problems.map((p) => `${m.key}: ${p}`);
  })));

  checks.push(check('one conversation per sender', exp.senders.length, exp.senders.flatMap((s) => {
    const n = byPhone.get(s.phone)?.length ?? 0;
    return n === 1 ? [] : [`${s.phone}: ${n} conversations`];
  })));

  const before = new Set(exp.beforeConversationIds);
  const created = conversations.filter((c) => !before.has(c.id));
  const unseen = new Set(exp.unseenSenders);
  const strays = created.filter((c) => !unseen.has(conversationPhone(c) ?? ''));
  const missing = exp.beforeConversationIds.filter((id) => !conversationById.has(id));
  checks.push(check('new conversations = previously unseen senders', exp.unseenSenders.length, [
    ...(created.length === unseen.size ? [] : [`${created.length} conversations created for ${unseen.size} previously unseen senders`]),
    ...strays.map((c) => `conversation ${c.id} with ${conversationPhone(c)} was created but that sender was not new`),
    ...missing.map((id) => `conversation ${id} existed before and is gone`),
  ]));

  const only = (s: Expectations['senders'][number]): ConversationView | undefined => {
    const list = byPhone.get(s.phone);
    return list && list.length === 1 ? list[0] : undefined;
  };

  const unknown = exp.senders.filter((s) => s.filing.kind === 'unknown');
  checks.push(check('unknown senders: no customer, badge unknown', unknown.length, unknown.flatMap((s) => {
    const c = only(s);
    if (!c) return [];
    const problems: string[] = [];
    if (c.customer) problems.push(`matched customer ${c.customer.name}`);
    if (c.contactPhone !== s.phone) problems.push(`contactPhone ${c.contactPhone}`);
    if (c.contextBadge !== 'unknown') problems.push(`badge ${c.contextBadge}`);
    if (c.workOrder || c.needsWorkOrderPick) problems.push('has work-order routing');
    return problems.map((p) => `${s.phone}: ${p}`);
  })));

  const customers = exp.senders.filter((s) => s.filing.kind !== 'unknown');
  checks.push(check('customers: linked to their one active work order, or flagged to pick', customers.length, customers.flatMap((s) => {
    const c = only(s);
    if (!c) return [];
    const problems: string[] = [];
    if (c.customer?.name !== s.customerName) problems.push(`customer ${c.customer?.name ?? 'none'}, expected ${s.customerName}`);
    if ((c.workOrder?.number ?? null) !== s.workOrderNumber) problems.push(`work order ${c.workOrder?.number ?? 'none'}, expected ${s.workOrderNumber ?? 'none'} (${s.filing.kind})`);
    if (c.needsWorkOrderPick !== s.needsWorkOrderPick) problems.push(`needsWorkOrderPick ${c.needsWorkOrderPick}, expected ${s.needsWorkOrderPick}`);
    if (!s.contextBadges.includes(c.contextBadge)) problems.push(`badge ${c.contextBadge}, expected ${s.contextBadges.join(' or ')}`);
    return problems.map((p) => `${s.phone}: ${p}`);
  })));

  checks.push(check('contact names from WhatsApp profiles', exp.senders.length, exp.senders.flatMap((s) => {
    const c = only(s);
    return !c || c.contactName === s.contactName ? [] : [`${s.phone}: contactName ${JSON.stringify(c.contactName)}, expected ${JSON.stringify(s.contactName)}`];
  })));

  checks.push(check('WhatsApp window open until latest customer message + 24 h', exp.senders.length, exp.senders.flatMap((s) => {
    const c = only(s);
    if (!c) return [];
    const problems: string[] = [];
    if (c.whatsappWindow.expiresAt !== s.window.expiresAt) problems.push(`expiresAt ${c.whatsappWindow.expiresAt}, expected ${s.window.expiresAt}`);
    if (s.window.mustBeOpen && c.whatsappWindow.state !== 'open') problems.push(`window ${c.whatsappWindow.state}`);
    return problems.map((p) => `${s.phone}: ${p}`);
  })));

  checks.push(check('message counts add up', exp.senders.length, exp.senders.flatMap((s) => {
    const c = only(s);
    if (!c) return [];
    const listed = after.messages.get(c.id) ?? [];
    const inbound = listed.filter((m) => m.direction === 'inbound').length;
    return [
      ...(inbound === s.inboundCount ? [] : [`${s.phone}: ${inbound} inbound messages, expected ${s.inboundCount}`]),
      ...(listed.filter((m) => m.direction === 'inbound' && !m.readAt).length === c.unreadCount ? [] : [`${s.phone}: unreadCount ${c.unreadCount} differs from the unread inbound messages listed`]),
    ];
  })));

  checks.push(check('outbound status = highest status seen (forward-only)', exp.outbound.length, exp.outbound.flatMap((o) => {
    const m = outboundByKey.get(`${o.provider}:${o.providerMessageId}`);
    if (!m) return [`${o.providerMessageId}: outbound message is gone`];
    return m.status === o.expected ? [] : [`${o.providerMessageId}: ${m.status}, expected ${o.expected} (was ${o.before}; sent ${o.providerStatuses.join(', ') || 'nothing'})`];
  })));

  const failed = exp.outbound.filter((o) => o.failure);
  checks.push(check('failed messages carry a reason and error code', failed.length, failed.flatMap((o) => {
    const m = outboundByKey.get(`${o.provider}:${o.providerMessageId}`);
    if (!m || m.status !== 'failed' || !o.failure) return [];
    const problems: string[] = [];
    if (!m.failureReason) problems.push('no failureReason');
    if (o.failure.kind === 'kept') {
      if (m.failureReason !== o.failure.reason || m.providerErrorCode !== o.failure.code) problems.push(`reason/code changed from ${o.failure.code} to ${m.providerErrorCode}`);
    } else if (!m.providerErrorCode || !o.failure.codes.includes(m.providerErrorCode)) {
      problems.push(`providerErrorCode ${m.providerErrorCode}, sent ${o.failure.codes.join(' or ')}`);
    }
    return problems.map((p) => `${o.providerMessageId}: ${p}`);
  })));

  const pagingProblems: string[] = [];
  if (conversations.length !== after.conversations.length) pagingProblems.push(`${after.conversations.length - conversations.length} conversations listed twice across pages`);
  for (const c of conversations) {
    const list = after.messages.get(c.id) ?? [];
    if (new Set(list.map((m) => m.id)).size !== list.length) pagingProblems.push(`conversation ${c.id}: a message listed twice across pages`);
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.occurredAt < list[i - 1]!.occurredAt) {
        pagingProblems.push(`conversation ${c.id}: messages out of chronological order`);
        break;
      }
    }
  }
  checks.push(check('API pagination consistent', conversations.length, pagingProblems));
  return checks;
}
