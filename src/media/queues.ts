/**
 * The media download queue: one job per inbound media item (Twilio MMS,
 * WhatsApp media), created in the webhook's transaction together with the
 * message and its `media_objects` row, so it exists exactly once (and its
 * singleton key is the item's). Transient failures retry with exponential
 * backoff for about an hour (`retryLimit` 10, 5 s doubling, capped at 15 min):
 * Meta keeps inbound media for days, so an outage of our side or theirs is
 * survived; the last attempt marks the item unavailable.
 */
import type { QueueOptions } from 'pg-boss';
import type { TenantTx } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';

export const DOWNLOAD_MEDIA = 'download-media';

export type DownloadMediaJob = {
  orgId: string;
  mediaId: string;
  /** WhatsApp: the phone_number_id the message came to (whose access token fetches it). */
  phoneNumberId?: string;
};

export function mediaQueues(): Record<string, QueueOptions & { notify?: boolean }> {
  return {
    [DOWNLOAD_MEDIA]: { retryLimit: 10, retryDelay: 5, retryBackoff: true, retryDelayMax: 900, expireInSeconds: 120, notify: true },
  };
}

/** Queue the download of one media item inside the transaction that recorded it. */
export async function enqueueMediaDownload(trx: TenantTx, queue: JobQueue, job: DownloadMediaJob): Promise<void> {
  await queue.enqueue(trx, DOWNLOAD_MEDIA, job, { singletonKey: `${job.orgId}:${job.mediaId}` });
}
