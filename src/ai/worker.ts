/** Registers the AI reply worker on the job queue (with RUN_WORKER). */
import type { JobWithMetadata } from 'pg-boss';
import { AI_REPLY, type AiReplyJob } from './queue.js';
import { runAiReply, type AiReplyDeps } from './reply.job.js';

export async function startAiWorker(deps: AiReplyDeps): Promise<void> {
  const { boss, pollingIntervalSeconds } = deps.queue;
  await boss.work<AiReplyJob>(AI_REPLY, {
    includeMetadata: true, batchSize: 1, localConcurrency: 2, pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds,
  }, async ([job]) => {
    if (!job) return;
    const j = job as JobWithMetadata<AiReplyJob>;
    await runAiReply(deps, j.data, j.retryCount >= j.retryLimit);
  });
}
