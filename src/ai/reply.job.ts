/**
 * The AI reply job (queue `ai-reply`, src/ai/queue.ts): answers a
 * conversation's latest customer message, never in a webhook's request.
 *
 * 1. Read the turn (src/ai/turn-state.ts) and decide (src/domain/ai-turn.ts):
 *    silent, wait (debounce: the job queues itself again), canned, or answer.
 * 2. Answer: build the prompt (src/ai/load-context.ts) and ask the model
 *    outside any transaction. A retryable provider error throws (pg-boss
 *    retries the job); the last attempt, or an error retrying cannot fix,
 *    hands the conversation to staff (`ai_error`). The inbound message was
 *    committed by the webhook before this job existed, so it is never lost.
 * 3. Send transaction: lock the conversation, read the turn again and obey
 *    it (a person who replied, took the conversation or queued an approval
 *    meanwhile wins: the AI stays silent); record the answer in `ai_replies`
 *    (unique per inbound message — a retried job stops here), compose the
 *    reply through `composeInTransaction` as sender `ai` (consent, window,
 *    bridge and credit-exhaustion rules unchanged), set the context badge
 *    from the category, hand off, and debit the credits the usage cost.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';
import { aiTurn, CANNED_REPLY, replyCredits, type AiTurn } from '../domain/ai-turn.js';
import { composeInTransaction, type ComposeOutcome } from '../sending/compose-message.js';
import { AppError } from '../server/errors.js';
import { AiProviderError, type AiDriver, type AiResult } from './driver.js';
import { debitReply, settleCreditState } from './credits.js';
import { handOff } from './handoff.js';
import { loadAiPrompt } from './load-context.js';
import { queueAiReply, type AiReplyJob } from './queue.js';
import { readTurn } from './turn-state.js';

export type AiReplyDeps = { db: Kysely<Database>; queue: JobQueue; config: Config; driver: AiDriver };

export type AiReplyOutcome =
  | { outcome: 'silent'; reason: string }
  | { outcome: 'waiting' }
  | { outcome: 'answered'; action: string; compose: ComposeOutcome['outcome'] | 'none' | 'blocked' };

/** What the model (or the canned rule) decided, before the send transaction. */
type Decided = { inboundId: string; inboundChannel: string; inboundAt: Date; answer: AiResult; canned: boolean };

const NO_USAGE = { promptTokens: 0, completionTokens: 0 };

/**
 * Run one reply job.
 * @param lastAttempt this is the queue's last retry: a provider error hands off instead of throwing
 * @throws AiProviderError (retryable, not the last attempt) so the queue retries the job
 */
export async function runAiReply(deps: AiReplyDeps, job: AiReplyJob, lastAttempt: boolean, now = () => new Date()): Promise<AiReplyOutcome> {
  const { db, config } = deps;
  const credit = { monthlyCredits: config.AI_MONTHLY_CREDITS };
  const start = await withTenant(db, job.orgId, async (trx) => {
    const snap = await readTurn(trx, job.orgId, job.conversationId, false);
    if (!snap) return null;
    // A new month's allowance or a top-up may have ended the degradation.
    if (snap.org.aiEnabled && snap.org.aiCreditExhausted) {
      const settled = await settleCreditState(trx, job.orgId, credit, now());
      snap.state.aiCreditExhausted = settled.exhausted;
    }
    const turn = aiTurn({ ...snap.state, answeringInboundId: null, debounceMs: config.AI_DEBOUNCE_MS, now: now() });
    if (turn.action === 'wait') {
      await queueAiReply(trx, deps.queue, job, Math.max(0, turn.untilMs - now().getTime()), now());
      return { snap, turn, prompt: null };
    }
    const prompt = turn.action === 'answer' ? await loadAiPrompt(trx, job.orgId, snap.conversation, snap.org, config.AI_CONTEXT_TOKENS, now()) : null;
    return { snap, turn, prompt };
  });
  if (!start) return { outcome: 'silent', reason: 'no_conversation' };
  const { snap, turn, prompt } = start;
  if (turn.action === 'silent') return { outcome: 'silent', reason: turn.reason };
  if (turn.action === 'wait') return { outcome: 'waiting' };
  const inbound = snap.latestInbound!;

  let answer: AiResult;
  if (turn.action === 'canned') {
    answer = { reply: CANNED_REPLY, action: 'reply', category: null, handoffReason: null, usage: NO_USAGE };
  } else {
    try {
      answer = await deps.driver.answer(prompt!);
    } catch (err) {
      const e = err instanceof AiProviderError ? err : new AiProviderError(err instanceof Error ? err.message : String(err), true);
      if (e.retryable && !lastAttempt) throw e;
      answer = { reply: '', action: 'handoff', category: null, handoffReason: 'ai_error', usage: NO_USAGE };
    }
  }
  return send(deps, job, { inboundId: inbound.id, inboundChannel: inbound.channel, inboundAt: inbound.receivedAt, answer, canned: turn.action === 'canned' }, now());
}

async function send(deps: AiReplyDeps, job: AiReplyJob, d: Decided, now: Date): Promise<AiReplyOutcome> {
  const { db, queue, config } = deps;
  return withTenant(db, job.orgId, async (trx) => {
    const snap = await readTurn(trx, job.orgId, job.conversationId, true);
    if (!snap) return { outcome: 'silent', reason: 'no_conversation' } as const;
    const turn: AiTurn = aiTurn({ ...snap.state, answeringInboundId: d.inboundId, debounceMs: config.AI_DEBOUNCE_MS, now });
    // Credit ran out between start and send: the model's answer is still sent (its cost is debited), the canned rule applies from the next message.
    if (turn.action === 'silent') return { outcome: 'silent', reason: turn.reason } as const;

    const { answer } = d;
    const action = d.canned ? 'canned' : answer.action;
    const credits = replyCredits(answer.usage, config.AI_CREDITS_PER_1K_TOKENS);
    const reply = await trx.insertInto('ai_replies').values({
      org_id: job.orgId, conversation_id: job.conversationId, inbound_message_id: d.inboundId, reply_message_id: null,
      channel: d.inboundChannel, action, outcome: 'none', category: answer.category, handoff_reason: answer.handoffReason,
      prompt_tokens: answer.usage.promptTokens, completion_tokens: answer.usage.completionTokens, credits, inbound_at: d.inboundAt, created_at: now,
    }).onConflict((oc) => oc.columns(['org_id', 'inbound_message_id']).doNothing()).returning('id').executeTakeFirst();
    if (!reply) return { outcome: 'silent', reason: 'already_answered' } as const;

    let compose: ComposeOutcome['outcome'] | 'none' | 'blocked' = 'none';
    let replyMessageId: string | null = null;
    if (answer.reply && action !== 'classify_only') {
      const composed = await composeAiMessage(trx, deps, job, d, answer.reply, now);
      compose = composed.outcome;
      replyMessageId = composed.messageId;
    }
    // The category refines General/Booking; an unknown sender's Unknown badge stays (who they are is not the model's call).
    const badge = snap.conversation.context_badge;
    if (answer.category && answer.category !== 'unknown' && (badge === 'general' || badge === 'booking') && badge !== answer.category) {
      await trx.updateTable('conversations').set({ context_badge: answer.category }).where('org_id', '=', job.orgId).where('id', '=', job.conversationId).execute();
    }
    if (answer.action === 'handoff') await handOff(trx, job.orgId, job.conversationId, answer.handoffReason ?? 'unsure', now);
    await trx.updateTable('ai_replies').set({ outcome: compose, reply_message_id: replyMessageId }).where('org_id', '=', job.orgId).where('id', '=', reply.id).execute();
    if (!d.canned) {
      await debitReply(trx, job.orgId, d.inboundId, credits, now);
      await settleCreditState(trx, job.orgId, { monthlyCredits: config.AI_MONTHLY_CREDITS }, now);
    }
    return { outcome: 'answered', action, compose } as const;
  });
}

/** Compose the AI's text on the channel the customer wrote on; a send rule that refuses it (consent, no channel) is recorded as `blocked`. */
async function composeAiMessage(trx: TenantTx, deps: AiReplyDeps, job: AiReplyJob, d: Decided, body: string, now: Date): Promise<{ outcome: ComposeOutcome['outcome'] | 'blocked'; messageId: string | null }> {
  const settings = { publicBaseUrl: deps.config.PUBLIC_BASE_URL, portalLinkTtlDays: deps.config.PORTAL_LINK_TTL_DAYS };
  try {
    const composed = await composeInTransaction(trx, deps.queue, job.orgId, {
      conversationId: job.conversationId, sender: { type: 'ai' }, body, channel: d.inboundChannel as 'sms' | 'whatsapp' | 'portal' | 'email',
    }, settings, now, null);
    return { outcome: composed.outcome, messageId: 'message' in composed ? composed.message.id : null };
  } catch (err) {
    if (err instanceof AppError && err.statusCode < 500) return { outcome: 'blocked', messageId: null };
    throw err;
  }
}
