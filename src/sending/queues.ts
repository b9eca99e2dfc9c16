/**
 * The sending queues and their retry policy.
 *
 * `deliver-message`: one job per outbound message. Transient provider errors
 * are retried with exponential backoff and jitter (pg-boss `retryBackoff`),
 * up to DELIVERY_MAX_ATTEMPTS attempts in all; a job whose worker died is
 * retried after `expireInSeconds`.
 * `sandbox-status`: delivery statuses the sandbox provider plays back later.
 * `whatsapp-window-closed`: bridge for a message Meta failed with 131047.
 */
import type { QueueOptions } from 'pg-boss';
import type { Config } from '../config.js';
import type { TenantTx } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';

export const DELIVER_MESSAGE = 'deliver-message';
export const SANDBOX_STATUS = 'sandbox-status';
export const WINDOW_CLOSED_BY_META = 'whatsapp-window-closed';

export type DeliverMessageJob = { orgId: string; messageId: string };

export function sendingQueues(config: Config): Record<string, QueueOptions & { notify?: boolean }> {
  return {
    [DELIVER_MESSAGE]: {
      retryLimit: config.DELIVERY_MAX_ATTEMPTS - 1,
      retryDelay: config.DELIVERY_RETRY_DELAY_SECONDS,
      retryBackoff: true,
      retryDelayMax: 300,
      expireInSeconds: Math.max(5, Math.ceil((config.PROVIDER_TIMEOUT_MS * 2) / 1000)),
      notify: true,
    },
    [SANDBOX_STATUS]: { retryLimit: 3, retryDelay: 1, expireInSeconds: 30, notify: true },
    [WINDOW_CLOSED_BY_META]: { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 30, notify: true },
    // The staff SMS alert for a new portal message (src/portal/portal-alert.ts).
    'portal-alert': { retryLimit: 4, retryDelay: 5, retryBackoff: true, expireInSeconds: 30, notify: true },
  };
}

/** Queue delivery of `messageId` inside the transaction that created it. */
export async function enqueueDelivery(trx: TenantTx, queue: JobQueue, orgId: string, messageId: string): Promise<void> {
  const job: DeliverMessageJob = { orgId, messageId };
  await queue.enqueue(trx, DELIVER_MESSAGE, job);
}
