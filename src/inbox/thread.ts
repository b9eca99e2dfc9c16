/**
 * A conversation's thread as the Messages page and the work order's
 * Messages tab show it (spec: messaging-inbox.txt, "Viewing a thread" and
 * "Replying"; issue 5 item 5): the conversation with its customer's
 * details and active work orders, a page of entries in chronological order
 * with their sender's name (voice calls and system entries in line), and
 * what a reply may use: the available channels, the default (the customer's
 * last channel), whether the WhatsApp window allows free-form text, and the
 * approved templates for when it does not.
 *
 * Reading a thread changes nothing; marking it read is `markConversationRead`.
 */
import type { Message } from '../db/schema.js';
import type { TenantTx } from '../db/tenant.js';
import { callDetails } from '../domain/message-preview.js';
import { availableReplyChannels, defaultReplyChannel } from '../domain/reply-channel.js';
import { listMessages, type Cursor } from '../api/conversations/conversation.queries.js';
import { presentMessage } from '../api/messages/message.presenter.js';
import { conversationRowsQuery, displayName, presentConversationRow, type Viewer } from './conversation-rows.js';
import type { ConversationDetail, ThreadEntry, ThreadView } from './thread.schema.js';

const ACTIVE_WORK_ORDER_EXCLUDED = ['completed', 'cancelled'] as const;

/** The conversation with its customer's contact details (redacted per viewer) and active work orders; null when not in this organisation. */
export async function loadConversationDetail(trx: TenantTx, orgId: string, conversationId: string, now: Date, viewer: Viewer): Promise<ConversationDetail | null> {
  const row = await conversationRowsQuery(trx, orgId)
    .leftJoin('customers as cd', (j) => j.onRef('cd.id', '=', 'c.customer_id').onRef('cd.org_id', '=', 'c.org_id'))
    .select(['cd.email as customer_email', 'cd.portal_last_login_at as customer_portal_last_login_at'])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
  if (!row) return null;
  const workOrders = row.customer_id
    ? await trx.selectFrom('work_orders as w')
      .leftJoin('vehicles as v', (j) => j.onRef('v.id', '=', 'w.vehicle_id').onRef('v.org_id', '=', 'w.org_id'))
      .select(['w.id', 'w.number', 'w.title', 'w.status', 'v.registration'])
      .where('w.org_id', '=', orgId).where('w.customer_id', '=', row.customer_id)
      .where('w.status', 'not in', ACTIVE_WORK_ORDER_EXCLUDED)
      .orderBy('w.created_at', 'desc').limit(20)
      .execute()
    : [];
  const base = presentConversationRow(row, now, viewer);
  return {
    ...base,
    customer: base.customer
      ? { ...base.customer, email: viewer.contactVisible ? row.customer_email ?? null : null, portalLastLoginAt: row.customer_portal_last_login_at?.toISOString() ?? null }
      : null,
    activeWorkOrders: workOrders.map((w) => ({ id: w.id, number: w.number, title: w.title, status: w.status, registration: w.registration ?? null })),
  };
}

function senderName(m: Message & { sender_user_name: string | null }, conversationName: string, orgName: string): string {
  if (m.sender_user_name) return m.sender_user_name;
  if (m.direction === 'inbound') return conversationName;
  if (m.direction === 'internal') return 'System';
  return orgName;
}

/**
 * The thread: detail, one page of entries (the latest `limit`, or those
 * before `before`), and the reply options.
 * @returns null when the conversation is not in this organisation
 */
export async function loadThread(trx: TenantTx, orgId: string, conversationId: string, opts: { limit: number; before: Cursor | null; now: Date; viewer: Viewer }): Promise<ThreadView | null> {
  const conversation = await loadConversationDetail(trx, orgId, conversationId, opts.now, opts.viewer);
  if (!conversation) return null;
  const [page, org, identities, templates, contact] = [
    await listMessages(trx, orgId, conversationId, opts.limit, opts.before),
    await trx.selectFrom('organisations').select('name').where('id', '=', orgId).executeTakeFirstOrThrow(),
    await trx.selectFrom('channel_identities').select(['provider', 'kind']).where('org_id', '=', orgId).execute(),
    await trx.selectFrom('message_templates').select(['name', 'language', 'body', 'placeholders', 'category'])
      .where('org_id', '=', orgId).where('status', '=', 'approved').orderBy('name').execute(),
    await trx.selectFrom('conversations as c').leftJoin('customers as cu', (j) => j.onRef('cu.id', '=', 'c.customer_id').onRef('cu.org_id', '=', 'c.org_id'))
      .select(['c.contact_phone', 'cu.phone', 'cu.email', 'cu.id as customer_id', 'cu.name as customer_name', 'c.contact_name'])
      .where('c.org_id', '=', orgId).where('c.id', '=', conversationId).executeTakeFirstOrThrow(),
  ];
  const channels = availableReplyChannels({
    phone: contact.phone ?? contact.contact_phone,
    customer: contact.customer_id ? { email: contact.email } : null,
    configured: {
      sms: identities.some((i) => i.provider === 'twilio'),
      whatsapp: identities.some((i) => i.provider === 'whatsapp'),
      email: identities.some((i) => i.provider === 'smtp'),
    },
  });
  const name = displayName({ customer_name: contact.customer_name ?? null, contact_name: contact.contact_name, contact_phone: contact.contact_phone }, opts.viewer);
  const messages: ThreadEntry[] = page.messages.map((m) => ({
    ...presentMessage(m),
    senderName: senderName(m, name, org.name),
    call: m.channel === 'voice' ? callDetails(m.metadata) : null,
  }));
  return {
    conversation,
    messages,
    earlierCursor: page.earlierCursor,
    reply: {
      channels,
      defaultChannel: defaultReplyChannel(conversation.lastChannel, channels),
      whatsappFreeForm: conversation.whatsappWindow.state === 'open',
      templates: templates.map((t) => ({ name: t.name, language: t.language, category: t.category, body: t.body, placeholders: t.placeholders })),
    },
  };
}
