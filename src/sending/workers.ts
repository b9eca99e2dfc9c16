/**
 * Registers the sending workers on the job queue: message delivery, the
 * 131047 bridge, and sandbox status playback.
 */
import type { Kysely } from 'kysely';
import type { JobWithMetadata } from 'pg-boss';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { deliverMessage } from './deliver-message.job.js';
import { bridgeAfterMetaClosedWindow } from './window-closed-by-meta.js';
import { playSandboxStatus, type SandboxStatusJob } from './sandbox-status.job.js';
import { DELIVER_MESSAGE, SANDBOX_STATUS, WINDOW_CLOSED_BY_META, type DeliverMessageJob } from './queues.js';

/** Deliveries in flight per server instance. */
const DELIVERY_CONCURRENCY = 8;

export async function startSendingWorkers(deps: { db: Kysely<Database>; queue: JobQueue; config: Config }): Promise<void> {
  const { boss, pollingIntervalSeconds } = deps.queue;
  // With LISTEN/NOTIFY (PostgreSQL) a new job wakes a worker at once, but retries become due
  // without a notification: keep polling at the same pace instead of pg-boss's 30 s backstop.
  const polling = { pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds };
  await boss.work<DeliverMessageJob>(DELIVER_MESSAGE, { includeMetadata: true, batchSize: 1, localConcurrency: DELIVERY_CONCURRENCY, ...polling }, async ([job]) => {
    const attempt = job as JobWithMetadata<DeliverMessageJob> | undefined;
    if (!attempt) return;
    await deliverMessage(deps, attempt.data, attempt.retryCount >= attempt.retryLimit);
  });
  await boss.work<DeliverMessageJob>(WINDOW_CLOSED_BY_META, { batchSize: 1, ...polling }, async ([job]) => {
    if (job) await bridgeAfterMetaClosedWindow(deps, job.data);
  });
  await boss.work<SandboxStatusJob>(SANDBOX_STATUS, { batchSize: 1, ...polling }, async ([job]) => {
    if (job) await playSandboxStatus(deps.db, job.data);
  });
}
