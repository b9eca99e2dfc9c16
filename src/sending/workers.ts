/**
 * Registers the sending workers on the job queue: message delivery, the
 * 131047 bridge, and sandbox status playback.
 */
import type { JobResult, JobWithMetadata } from 'pg-boss';
import { deliverMessage, type DeliveryDeps } from './deliver-message.job.js';
import { bridgeAfterMetaClosedWindow } from './window-closed-by-meta.js';
import { playSandboxStatus, type SandboxStatusJob } from './sandbox-status.job.js';
import { PORTAL_ALERT, sendPortalAlert, type PortalAlertJob } from '../portal/portal-alert.js';
import { DELIVER_MESSAGE, SANDBOX_STATUS, WINDOW_CLOSED_BY_META, type DeliverMessageJob } from './queues.js';

/** Deliveries in flight per server instance: DELIVERY_WORKERS workers fetching DELIVERY_BATCH jobs each. */
export const DELIVERY_CONCURRENCY = 8;
const DELIVERY_WORKERS = 2;
const DELIVERY_BATCH = DELIVERY_CONCURRENCY / DELIVERY_WORKERS;

/**
 * Deliver a batch concurrently, each job settling on its own: a job whose
 * delivery throws (a retryable provider error) fails alone and is retried
 * by its queue's policy; the others complete.
 */
async function deliverBatch(deps: DeliveryDeps, jobs: JobWithMetadata<DeliverMessageJob>[]): Promise<JobResult[]> {
  return Promise.all(jobs.map(async (job): Promise<JobResult> => {
    try {
      await deliverMessage(deps, job.data, job.retryCount >= job.retryLimit);
      return { id: job.id, status: 'completed' };
    } catch (err) {
      return { id: job.id, status: 'failed', output: { message: err instanceof Error ? err.message : String(err) } };
    }
  }));
}

export async function startSendingWorkers(deps: DeliveryDeps): Promise<void> {
  const { boss, pollingIntervalSeconds } = deps.queue;
  // With LISTEN/NOTIFY (PostgreSQL) a new job wakes a worker at once, but retries become due
  // without a notification: keep polling at the same pace instead of pg-boss's 30 s backstop.
  const polling = { pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds };
  // Batches, and burst while batches come back full: with one job per fetch, pg-boss waits a
  // whole poll interval after every job, and a backlog drains at a few messages per second.
  await boss.work<DeliverMessageJob>(DELIVER_MESSAGE, {
    includeMetadata: true, perJobResults: true, batchSize: DELIVERY_BATCH, burstWhenBatchFull: true, localConcurrency: DELIVERY_WORKERS, ...polling,
  }, (jobs) => deliverBatch(deps, jobs as JobWithMetadata<DeliverMessageJob>[]));
  await boss.work<DeliverMessageJob>(WINDOW_CLOSED_BY_META, { batchSize: 1, ...polling }, async ([job]) => {
    if (job) await bridgeAfterMetaClosedWindow(deps, job.data);
  });
  await boss.work<PortalAlertJob>(PORTAL_ALERT, { batchSize: 1, ...polling }, async ([job]) => {
    if (job) await sendPortalAlert(deps, job.data, job.id);
  });
  await boss.work<SandboxStatusJob>(SANDBOX_STATUS, { batchSize: 1, ...polling }, async ([job]) => {
    if (job) await playSandboxStatus(deps.db, job.data);
  });
}
