/**
 * The AI reply queue and scheduling a reply from the webhook's transaction.
 *
 * `ai-reply` is a pg-boss `short` queue keyed per conversation
 * (`singletonKey = org:conversation`): at most one reply job waits per
 * conversation, so a burst of customer messages queues one job; it starts
 * after `AI_DEBOUNCE_MS` and, at run time, waits again while the latest
 * message is younger than that (src/domain/ai-turn.ts), then answers the
 * latest message with the whole conversation as context. Jobs are inserted
 * in the same transaction as the inbound message (outbox): durable, never
 * run in the webhook's request, and a rolled-back webhook schedules nothing.
 */
import type { QueueOptions, QueuePolicy } from 'pg-boss';
import type { Config } from '../config.js';
import type { TenantTx } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';

export const AI_REPLY = 'ai-reply';

export type AiReplyJob = { orgId: string; conversationId: string };

export function aiQueues(config: Config): Record<string, QueueOptions & { notify?: boolean; policy?: QueuePolicy }> {
  const attemptSeconds = Math.ceil((config.AI_TIMEOUT_MS * (config.AI_MAX_RETRIES + 1)) / 1000);
  return {
    [AI_REPLY]: { policy: 'short', retryLimit: 4, retryDelay: 5, retryBackoff: true, retryDelayMax: 300, expireInSeconds: Math.max(30, attemptSeconds * 2 + 10), notify: true },
  };
}

/**
 * Queue an AI reply for a conversation after `delayMs`, unless one is already queued.
 * @returns whether a job was queued
 */
export async function queueAiReply(trx: TenantTx, queue: JobQueue, job: AiReplyJob, delayMs: number, now = new Date()): Promise<boolean> {
  const id = await queue.enqueueUnlessQueued(trx, AI_REPLY, job, {
    singletonKey: `${job.orgId}:${job.conversationId}`,
    startAfter: new Date(now.getTime() + delayMs),
  });
  return id !== null;
}

/**
 * Called by the inbound paths right after a new customer message is recorded:
 * queues the AI reply when the organisation has AI on.
 * @returns whether a job was queued
 */
export async function scheduleAiReply(trx: TenantTx, queue: JobQueue, config: Config, orgId: string, conversationId: string): Promise<boolean> {
  const org = await trx.selectFrom('organisations').select('ai_enabled').where('id', '=', orgId).executeTakeFirst();
  if (!org?.ai_enabled) return false;
  return queueAiReply(trx, queue, { orgId, conversationId }, config.AI_DEBOUNCE_MS);
}
