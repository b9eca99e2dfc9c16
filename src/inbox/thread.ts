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
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Message } from '../db/schema.js';
import type { TenantTx } from '../db/tenant.js';
import { callDetails } from '../domain/message-preview.js';
import { availableReplyChannels, defaultReplyChannel } from '../domain/reply-channel.js';
import { listMessages, type Cursor } from '../api/conversations/conversation.queries.js';
import { presentMessage } from '../api/messages/message.presenter.js';
import { conversationRowsQuery, presentConversationRow, type Viewer } from './conversation-rows.js';
import { loadOrgReplyContext } from './thread-reply.js';
import { isSmsOptedOut, loadConsents } from '../consent/consent.repository.js';
import { CONSENT_REASONS } from '../domain/consent.js';
import type { ConversationDetail, ThreadEntry, ThreadView } from './thread.schema.js';

const ACTIVE_WORK_ORDER_EXCLUDED = ['completed', 'cancelled'] as const;

/**
 * The detail row in one SELECT: the inbox row (conversation, customer, work
 * order, assignee, preview) with the customer's email, portal sign-in and
 * matched id, and the customer's latest 20 active work orders (not
 * completed or cancelled; newest first, with the vehicle's registration) as
 * a JSON array, empty for an unknown sender.
 */
function detailRowQuery(trx: TenantTx, orgId: string, conversationId: string) {
  return conversationRowsQuery(trx, orgId)
    .select((eb) => [
      'cu.id as matched_customer_id', 'cu.email as customer_email', 'cu.portal_last_login_at as customer_portal_last_login_at',
      jsonArrayFrom(eb.selectFrom('work_orders as wo')
        .leftJoin('vehicles as v', (j) => j.onRef('v.id', '=', 'wo.vehicle_id').onRef('v.org_id', '=', 'wo.org_id'))
        .select(['wo.id', 'wo.number', 'wo.title', 'wo.status', 'v.registration'])
        .whereRef('wo.org_id', '=', 'c.org_id').whereRef('wo.customer_id', '=', 'c.customer_id')
        .where('wo.status', 'not in', ACTIVE_WORK_ORDER_EXCLUDED)
        .orderBy('wo.created_at', 'desc').limit(20)).as('active_work_orders'),
    ])
    .where('c.id', '=', conversationId);
}

type DetailRow = NonNullable<Awaited<ReturnType<ReturnType<typeof detailRowQuery>['executeTakeFirst']>>>;

/** The API detail of a detail row: the inbox row plus the customer's email (redacted per viewer) and portal sign-in, and the active work orders. */
function presentDetail(row: DetailRow, now: Date, viewer: Viewer): ConversationDetail {
  const base = presentConversationRow(row, now, viewer);
  return {
    ...base,
    customer: base.customer
      ? { ...base.customer, email: viewer.contactVisible ? row.customer_email ?? null : null, portalLastLoginAt: row.customer_portal_last_login_at?.toISOString() ?? null }
      : null,
    activeWorkOrders: row.active_work_orders.map((w) => ({ id: w.id, number: w.number, title: w.title, status: w.status, registration: w.registration ?? null })),
  };
}

/**
 * The conversation with its customer's contact details (redacted per
 * viewer) and active work orders, in one statement.
 * @returns null when the conversation is not in this organisation
 */
export async function loadConversationDetail(trx: TenantTx, orgId: string, conversationId: string, now: Date, viewer: Viewer): Promise<ConversationDetail | null> {
  const row = await detailRowQuery(trx, orgId, conversationId).executeTakeFirst();
  return row ? presentDetail(row, now, viewer) : null;
}

function senderName(m: Message & { sender_user_name: string | null; sender_token_name: string | null }, conversationName: string, orgName: string): string {
  if (m.sender_user_name) return m.sender_user_name;
  if (m.sender_token_name) return m.sender_token_name;
  if (m.direction === 'inbound') return conversationName;
  if (m.direction === 'internal') return 'System';
  if (m.ai_generated) return 'AI receptionist';
  return orgName;
}

/**
 * The thread: detail, one page of entries (the latest `limit`, or those
 * before `before`), and the reply options, in three statements: the detail
 * row (which also carries the contact the reply channels depend on), the
 * page of messages, and the organisation's reply context (name, configured
 * providers, approved templates).
 * @returns null when the conversation is not in this organisation (after
 *   the detail statement alone)
 */
export async function loadThread(trx: TenantTx, orgId: string, conversationId: string, opts: { limit: number; before: Cursor | null; now: Date; viewer: Viewer }): Promise<ThreadView | null> {
  const row = await detailRowQuery(trx, orgId, conversationId).executeTakeFirst();
  if (!row) return null;
  const conversation = presentDetail(row, opts.now, opts.viewer);
  const page = await listMessages(trx, orgId, conversationId, opts.limit, opts.before);
  const org = await loadOrgReplyContext(trx, orgId);
  const channels = availableReplyChannels({
    phone: row.customer_phone ?? row.contact_phone,
    customer: row.matched_customer_id ? { email: row.customer_email } : null,
    configured: org.configured,
  });
  // Channels the consent gate refuses whatever the message (WhatsApp master switch, SMS opt-out): offered disabled, with the reason.
  const phone = row.customer_phone ?? row.contact_phone;
  const consents = await loadConsents(trx, orgId, row.matched_customer_id ?? null);
  const disabledChannels = [
    ...(channels.includes('whatsapp') && !consents.whatsapp ? [{ channel: 'whatsapp' as const, reason: CONSENT_REASONS.whatsapp_consent_revoked }] : []),
    ...(channels.includes('sms') && phone && await isSmsOptedOut(trx, orgId, phone) ? [{ channel: 'sms' as const, reason: CONSENT_REASONS.sms_opted_out }] : []),
  ];
  const sendable = channels.filter((c) => !disabledChannels.some((d) => d.channel === c));
  const messages: ThreadEntry[] = page.messages.map((m) => ({
    ...presentMessage(m, opts.viewer.contactVisible),
    senderName: senderName(m, conversation.displayName, org.orgName),
    call: m.channel === 'voice' ? callDetails(m.metadata) : null,
  }));
  return {
    conversation,
    messages,
    earlierCursor: page.earlierCursor,
    reply: {
      channels,
      disabledChannels,
      defaultChannel: defaultReplyChannel(conversation.lastChannel, sendable),
      whatsappFreeForm: conversation.whatsappWindow.state === 'open',
      templates: org.templates,
    },
  };
}
