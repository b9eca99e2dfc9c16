/**
 * The delivery worker: hands one pending outbound message to its channel's
 * adapter and records the outcome.
 *
 * Idempotent: a message that is no longer pending, or already has a provider
 * id, is left alone, so a re-run job cannot send twice. Consent is checked
 * again just before the provider call: a message queued before the customer
 * opted out fails with the rule as its reason and is not sent. The provider call
 * happens outside any transaction; its provider id is committed right after
 * the provider answers. A duplicate send is possible only if the process dies
 * in that instant (after the provider accepted, before the commit): neither
 * Twilio's Messages API nor Meta's Cloud API accepts an idempotency key, so
 * that window cannot be closed, only kept to one round trip to the database.
 *
 * Outcomes: accepted → provider id, status and cost stored, and status
 * callbacks that arrived before the id was known are applied; retryable
 * error → thrown for pg-boss to retry with backoff, until the last attempt,
 * which marks the message failed; permanent or credential error → failed
 * with the provider's code, our human reason for it (src/domain/provider-failure.ts)
 * and the provider's raw text apart (shown only with `customers.contact.view`). Twilio 21610 also records the
 * SMS opt-out; WhatsApp 131047 marks the window expired and runs the bridge.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database, DeliveryStatus, Message } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';
import { adapterFor } from '../channels/registry.js';
import { tablePrice, type WhatsAppPricingCategory } from '../domain/message-prices.js';
import { openCredentials, secretBoxFor } from '../channels/credentials/secret-box.js';
import { ProviderError, type OutboundRequest, type SendResult } from '../channels/contract.js';
import { outboundMedia } from '../media/outbound-media.js';
import { sandboxPlayback } from '../channels/sandbox/sandbox.adapter.js';
import { nextDeliveryStatus } from '../domain/delivery-status.js';
import { knownFailureReason, providerFailureReason } from '../domain/provider-failure.js';
import { lockProviderMessage } from '../ingest/apply-delivery-status.js';
import { consentGate } from '../domain/consent.js';
import { setSmsOptOut } from '../consent/consent.repository.js';
import { bridgeAfterMetaClosedWindow, enqueueMetaClosedWindow, META_WINDOW_CLOSED } from './window-closed-by-meta.js';
import { loadSendContext, type ReplyChannel, type SendContext } from './send-context.js';
import { SANDBOX_STATUS, type DeliverMessageJob } from './queues.js';
import type { SandboxStatusJob } from './sandbox-status.job.js';
import type { Metrics } from '../observability/metrics.js';

/** `metrics`: told each attempt's outcome (absent in tests that do not count). */
export type DeliveryDeps = { db: Kysely<Database>; queue: JobQueue; config: Config; metrics?: Metrics };

/** What the attempt needs, read in one short transaction. */
async function prepare(deps: DeliveryDeps, job: DeliverMessageJob): Promise<{ message: Message; ctx: SendContext; template: { name: string; language: string; placeholders: string[]; category: string } | null } | null> {
  return withTenant(deps.db, job.orgId, async (trx) => {
    // Claim the attempt and lock the row in one statement; a message no longer pending (or already sent) is left alone.
    const claimed = await trx.updateTable('messages').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('org_id', '=', job.orgId).where('id', '=', job.messageId).where('status', '=', 'pending').where('provider_message_id', 'is', null)
      .returningAll().executeTakeFirst();
    if (!claimed) return null;
    // The rest of the attempt sees the message as it was before this attempt was counted.
    const message: Message = { ...claimed, attempts: claimed.attempts - 1 };
    const ctx = await loadSendContext(trx, job.orgId, message.conversation_id);
    if (!ctx) return null;
    // Consent may have changed since the message was queued (a STOP, a revoked WhatsApp consent): check again.
    const gate = consentGate({
      channel: message.channel as ReplyChannel,
      category: message.consent_category ?? 'transactional',
      consents: ctx.consents,
      hasActiveWorkOrder: ctx.hasActiveWorkOrder,
      smsOptedOut: ctx.smsOptedOut,
    });
    if (!gate.allowed) {
      await trx.updateTable('messages').set({ status: 'failed', failure_reason: gate.rule, status_updated_at: new Date() })
        .where('org_id', '=', job.orgId).where('id', '=', message.id).execute();
      return null;
    }
    const template = message.template_id
      ? await trx.selectFrom('message_templates').select(['name', 'language', 'placeholders', 'category']).where('org_id', '=', job.orgId).where('id', '=', message.template_id).executeTakeFirst()
      : undefined;
    return { message, ctx, template: template ?? null };
  });
}

function recipient(message: Message, ctx: SendContext): string {
  const channel = message.channel as ReplyChannel;
  if (channel === 'email') return ctx.customer?.email ?? '';
  if (channel === 'portal') return message.conversation_id;
  return ctx.phone ?? '';
}

function outboundRequest(deps: DeliveryDeps, message: Message, ctx: SendContext, template: { name: string; language: string; placeholders: string[] } | null): OutboundRequest {
  const params = message.template_params ?? {};
  const subject = typeof message.metadata.subject === 'string' ? message.metadata.subject : undefined;
  return {
    messageId: message.id,
    to: recipient(message, ctx),
    body: message.body,
    ...(template ? { template: { name: template.name, language: template.language, params: template.placeholders.map((name) => ({ name, value: params[name] ?? '' })) } } : {}),
    ...(subject ? { subject } : {}),
    ...outboundMedia(deps.config, message),
    statusCallbackUrl: `${deps.config.PUBLIC_BASE_URL}/twilio/status`,
  };
}

/**
 * Store the provider id and status, folding in status callbacks that arrived
 * before the id was known.
 * @returns the provider error code of an early `failed` callback, else null
 */
async function recordAccepted(trx: TenantTx, orgId: string, message: Message, provider: string, result: SendResult, now: Date): Promise<string | null> {
  await lockProviderMessage(trx, orgId, provider, result.providerMessageId);
  const early = await trx.selectFrom('message_status_events').select(['status', 'error_code', 'error_title', 'error_text']).where('org_id', '=', orgId)
    .where('provider', '=', provider).where('provider_message_id', '=', result.providerMessageId).execute();
  const status = early.reduce<DeliveryStatus>((s, e) => nextDeliveryStatus(s, e.status), nextDeliveryStatus('pending', result.status));
  const failure = status === 'failed' ? early.find((e) => e.status === 'failed') : undefined;
  await trx.updateTable('messages').set({
    provider,
    provider_message_id: result.providerMessageId,
    status,
    status_updated_at: now,
    sent_at: now,
    ...(result.cost ? { cost: result.cost.amount, cost_currency: result.cost.currency } : {}),
    ...(failure ? { failure_reason: failure.error_title, provider_error_code: failure.error_code, provider_error_text: failure.error_text } : {}),
  }).where('org_id', '=', orgId).where('id', '=', message.id).execute();
  return failure?.error_code ?? null;
}

/**
 * @param reason our human reason (no contact details)
 * @param err the provider's error: its code, and its raw text (kept for `customers.contact.view` only)
 */
async function markFailed(trx: TenantTx, orgId: string, messageId: string, reason: string, err: ProviderError, now: Date): Promise<void> {
  await trx.updateTable('messages').set({ status: 'failed', failure_reason: reason, provider_error_code: err.providerCode, provider_error_text: err.message, status_updated_at: now })
    .where('org_id', '=', orgId).where('id', '=', messageId).where('status', '=', 'pending').execute();
}

async function handleProviderError(deps: DeliveryDeps, job: DeliverMessageJob, message: Message, ctx: SendContext, provider: string, err: ProviderError, lastAttempt: boolean): Promise<void> {
  const now = new Date();
  if (err.kind === 'retryable' && !lastAttempt) throw err;
  if (message.channel === 'whatsapp' && err.providerCode === META_WINDOW_CLOSED) return bridgeAfterMetaClosedWindow(deps, job, now);
  const known = knownFailureReason(provider, err.providerCode);
  await withTenant(deps.db, job.orgId, async (trx) => {
    if (err.kind === 'retryable') return markFailed(trx, job.orgId, message.id, `Provider unavailable after ${message.attempts + 1} attempts${known ? `: ${known}` : ''}`, err, now);
    if (err.kind === 'bad_credentials') return markFailed(trx, job.orgId, message.id, `Provider refused our credentials${err.providerCode ? ` (${provider} error ${err.providerCode})` : ''}. Check the channel settings.`, err, now);
    await markFailed(trx, job.orgId, message.id, providerFailureReason(provider, err.providerCode), err, now);
    if (message.channel === 'sms' && err.providerCode === '21610' && ctx.phone) {
      await setSmsOptOut(trx, job.orgId, ctx.phone, true, ctx.customer?.id ?? null, { source: 'provider_error' });
    }
  });
}

/**
 * Deliver one message.
 * @param lastAttempt true on the final attempt: a retryable error then fails the message instead of throwing
 * @throws ProviderError (retryable) for pg-boss to retry later
 */
export async function deliverMessage(deps: DeliveryDeps, job: DeliverMessageJob, lastAttempt: boolean): Promise<void> {
  const prepared = await prepare(deps, job);
  if (!prepared) return;
  const { message, ctx, template } = prepared;
  let result: SendResult;
  let provider = message.channel === 'email' ? 'smtp' : message.channel === 'sms' ? 'twilio' : String(message.channel);
  try {
    const adapter = adapterFor(message.channel as ReplyChannel, openCredentials(ctx.credentials, secretBoxFor(deps.config)), deps.config);
    provider = adapter.provider;
    result = await adapter.send(outboundRequest(deps, message, ctx, template));
    // The sandbox reports no price: record the price table's, so the demo's spend is realistic.
    if (provider === 'sandbox' && !result.cost) {
      const cost = tablePrice({ channel: message.channel, body: message.body, whatsappCategory: template ? template.category.toLowerCase() as WhatsAppPricingCategory : 'service' }, deps.config.MESSAGE_PRICES);
      if (cost) result = { ...result, cost };
    }
  } catch (err) {
    const providerError = err instanceof ProviderError ? err : new ProviderError('retryable', err instanceof Error ? err.message : String(err));
    deps.metrics?.delivery(message.channel, providerError.kind === 'retryable' && !lastAttempt ? 'retrying' : 'failed', providerError.providerCode);
    return handleProviderError(deps, job, message, ctx, provider, providerError, lastAttempt);
  }
  deps.metrics?.delivery(message.channel, 'accepted', null);
  await withTenant(deps.db, job.orgId, async (trx) => {
    const earlyFailure = await recordAccepted(trx, job.orgId, message, provider, result, new Date());
    // Meta's 131047 `failed` webhook can beat the commit of the wamid: the webhook then found no
    // message to bridge for, so queue the bridge here, as the webhook would have.
    if (message.channel === 'whatsapp' && earlyFailure === META_WINDOW_CLOSED) await enqueueMetaClosedWindow(trx, deps.queue, job.orgId, message.id);
    if (provider === 'sandbox') {
      for (const step of sandboxPlayback(message.channel as 'sms' | 'whatsapp' | 'email', recipient(message, ctx))) {
        const data: SandboxStatusJob = { orgId: job.orgId, providerMessageId: result.providerMessageId, status: step.status, errorCode: step.errorCode ?? null, reason: step.reason ?? null };
        await deps.queue.enqueue(trx, SANDBOX_STATUS, data, { startAfter: Math.ceil(step.afterMs / 1000) });
      }
    }
  });
}
