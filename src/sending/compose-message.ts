/**
 * Composing an outbound message: the rules that decide whether, where and
 * what is sent, applied in one tenant transaction that also queues delivery
 * (transactional outbox: the message and its job commit together).
 *
 * Order: channel (default: the customer's last channel) → template (a
 * MARKETING template is always gated as marketing) → consent gate (fails
 * fast, stores nothing) → free-form → for WhatsApp the
 * session-window plan: send, bridge SMS instead, or nothing at all for an AI
 * in credit exhaustion. A gated author's message stops before the window
 * plan, stored `pending_approval`; approving it runs these rules again on
 * the same row (src/sending/approvals.ts).
 * Specs: whatsapp-24-hour-window.txt, portal-messaging-fallback.txt,
 * whatsapp-consent.txt.
 */
import type { Kysely } from 'kysely';
import type { Database, Message, MessageCategory } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';
import { consentGate } from '../domain/consent.js';
import { defaultReplyChannel } from '../domain/reply-channel.js';
import { renderTemplate } from '../domain/templates.js';
import { whatsAppSendPlan } from '../domain/bridge.js';
import { windowState } from '../domain/whatsapp-window.js';
import { AppError } from '../server/errors.js';
import { bridgeInstead, type BridgeSettings } from './bridge.js';
import { loadSendContext, type ReplyChannel, type SendContext } from './send-context.js';
import { writeOutbound, type NewOutbound, type Sender } from './outbound-message.js';
import { enqueueDelivery } from './queues.js';
import { alsoTextPortalReply } from './portal-reply-sms.js';
import { attachmentProblem } from '../domain/media-limits.js';
import { attachToMessage, claimAttachments } from '../media/attachments.js';

export type ComposeRequest = {
  conversationId: string;
  sender: Sender;
  channel?: ReplyChannel;
  /** Free-form text (exclusive with `template`). */
  body?: string;
  template?: { name: string; language?: string; params: Record<string, string> };
  /** What the message is about, for the consent gate. Default: transactional. */
  category?: MessageCategory;
  /** Email subject. */
  subject?: string;
  /** The author may only send through the approval queue (`messages.send_gated` without `messages.send`). */
  gated?: boolean;
  /** Uploaded attachments (POST …/attachments) to send with it, in order; the channel's limits apply. */
  mediaIds?: string[];
};

/** What a draft awaiting approval keeps of its request, to compose it again when approved. */
export type DraftRequest = Pick<ComposeRequest, 'channel' | 'template' | 'category' | 'subject'>;

export type ComposeOutcome =
  | { outcome: 'queued'; message: Message }
  | { outcome: 'pending_approval'; message: Message }
  | { outcome: 'bridged'; message: Message; bridge: Message }
  | { outcome: 'failed'; message: Message }
  | { outcome: 'suppressed'; reason: 'ai_credit_exhausted_window_closed' };

type TemplateChoice = { id: string; name: string; language: string; text: string; params: Record<string, string>; category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION' };

function chooseChannel(ctx: SendContext, requested: ReplyChannel | undefined): ReplyChannel {
  if (requested) {
    if (!ctx.available.includes(requested)) {
      throw new AppError('channel_unavailable', `This conversation cannot be reached by ${requested}: available channels are ${ctx.available.join(', ') || 'none'}.`);
    }
    return requested;
  }
  const channel = defaultReplyChannel(ctx.conversation.last_channel, ctx.available);
  if (!channel) throw new AppError('channel_unavailable', 'This conversation has no channel a reply can use (no phone, email or portal access).');
  return channel;
}

async function chooseTemplate(trx: TenantTx, orgId: string, t: NonNullable<ComposeRequest['template']>): Promise<TemplateChoice> {
  let q = trx.selectFrom('message_templates').selectAll().where('org_id', '=', orgId).where('name', '=', t.name);
  if (t.language) q = q.where('language', '=', t.language);
  const template = await q.orderBy('language').executeTakeFirst();
  if (!template) throw new AppError('template_not_found', `No template named "${t.name}"${t.language ? ` in ${t.language}` : ''}.`);
  if (template.status !== 'approved') throw new AppError('template_not_approved', `Template "${t.name}" is ${template.status}; only templates approved by Meta can be sent.`);
  const rendered = renderTemplate(template.body, t.params);
  if (!rendered.ok) {
    const parts = [
      rendered.missing.length ? `missing ${rendered.missing.map((p) => `{${p}}`).join(', ')}` : '',
      rendered.extra.length ? `not in the template: ${rendered.extra.join(', ')}` : '',
      rendered.empty.length ? `empty: ${rendered.empty.map((p) => `{${p}}`).join(', ')}` : '',
    ].filter(Boolean);
    throw new AppError('template_params_invalid', `Template "${t.name}" placeholders: ${parts.join('; ')}.`);
  }
  return { id: template.id, name: template.name, language: template.language, text: rendered.text, params: t.params, category: template.category };
}

/**
 * Apply the sending rules and queue what should go out (or, for a gated
 * author, store it for approval).
 * @throws AppError 404 not_found; 422 channel_unavailable, consent rule codes, template_*, window_closed; 400 validation_failed
 */
export async function composeMessage(db: Kysely<Database>, queue: JobQueue, orgId: string, req: ComposeRequest, settings: BridgeSettings, now = new Date()): Promise<ComposeOutcome> {
  return withTenant(db, orgId, (trx) => composeInTransaction(trx, queue, orgId, req, settings, now, null));
}

/**
 * The rules of `composeMessage` inside the caller's transaction.
 * @param draftId a message awaiting approval that becomes the composed message (approval), or null for a new one
 */
export async function composeInTransaction(trx: TenantTx, queue: JobQueue, orgId: string, req: ComposeRequest, settings: BridgeSettings, now: Date, draftId: string | null): Promise<ComposeOutcome> {
  const body = req.body?.trim() ?? '';
  const hasMedia = (req.mediaIds?.length ?? 0) > 0;
  if (Boolean(body || hasMedia) === Boolean(req.template)) throw new AppError('validation_failed', 'Send either a non-empty body (or photos) or a template, not both.');
  const ctx = await loadSendContext(trx, orgId, req.conversationId);
  if (!ctx) throw new AppError('not_found', 'No such conversation in this organisation.');
  const channel = chooseChannel(ctx, req.channel);
  if (req.template && channel !== 'whatsapp') throw new AppError('validation_failed', 'Templates are WhatsApp messages: choose the whatsapp channel.');
  const template = req.template ? await chooseTemplate(trx, orgId, req.template) : null;
  // A template Meta approved as MARKETING is marketing whatever the caller says: it needs the marketing opt-in.
  const category = template?.category === 'MARKETING' ? 'marketing' : req.category ?? 'transactional';
  const gate = consentGate({ channel, category, consents: ctx.consents, hasActiveWorkOrder: ctx.hasActiveWorkOrder, smsOptedOut: ctx.smsOptedOut });
  if (!gate.allowed) throw new AppError(gate.rule, gate.reason);
  const media = await claimAttachments(trx, orgId, ctx.conversation.id, req.mediaIds ?? []);
  const mediaProblem = attachmentProblem(channel, media.map((m) => ({ contentType: m.contentType, size: m.size ?? 0 })));
  if (mediaProblem) throw new AppError(mediaProblem.code, mediaProblem.message);
  const write = async (m: NewOutbound) => {
    const message = await writeOutbound(trx, orgId, media.length > 0 ? { ...m, media } : m, now, draftId);
    await attachToMessage(trx, orgId, message.id, media);
    return message;
  };

  const base = {
    conversationId: ctx.conversation.id,
    channel,
    body: template ? template.text : body,
    sender: req.sender,
    category,
    templateId: template?.id ?? null,
    templateParams: template?.params ?? null,
    metadata: { senderType: req.sender.type, ...(req.subject ? { subject: req.subject } : {}) },
  };

  if (req.gated) {
    const draft: DraftRequest = { channel, category, ...(req.template ? { template: req.template } : {}), ...(req.subject ? { subject: req.subject } : {}) };
    const message = await write({ ...base, status: 'pending_approval', metadata: { ...base.metadata, draft } });
    return { outcome: 'pending_approval', message };
  }

  if (channel === 'whatsapp') {
    const plan = whatsAppSendPlan({
      kind: template ? 'template' : 'free_form',
      sender: req.sender.type === 'integration' ? 'staff' : req.sender.type,
      window: windowState(ctx.conversation.whatsapp_window_expires_at, now),
      aiCreditExhausted: ctx.org.aiCreditExhausted,
    });
    if (plan === 'suppress_ai') return { outcome: 'suppressed', reason: 'ai_credit_exhausted_window_closed' };
    if (plan === 'reject_window_closed') throw new AppError('window_closed', 'The WhatsApp 24-hour window is closed: automated messages must use an approved template.');
    if (plan === 'bridge') {
      const bridged = await bridgeInstead(trx, queue, ctx, settings, now, category);
      const message = await write({
        ...base,
        status: 'failed',
        failureReason: bridged.reason,
        metadata: { ...base.metadata, ...(bridged.action === 'sent' ? { bridgeMessageId: bridged.bridge.id } : {}) },
      });
      return bridged.action === 'sent' ? { outcome: 'bridged', message, bridge: bridged.bridge } : { outcome: 'failed', message };
    }
  }

  const message = await write({ ...base, status: 'pending' });
  await enqueueDelivery(trx, queue, orgId, message.id);
  if (channel === 'portal' && req.sender.type !== 'system') {
    await alsoTextPortalReply(trx, ctx, category, settings, now, (sms) => composeInTransaction(trx, queue, orgId, sms, settings, now, null));
  }
  return { outcome: 'queued', message };
}
