/**
 * Registers the media download worker: a few downloads at once per instance
 * (each job settles alone; a throw retries only that job).
 */
import type { JobResult, JobWithMetadata } from 'pg-boss';
import type { JobQueue } from '../jobs/queue.js';
import { downloadInboundMedia, type MediaDeps } from './download-media.job.js';
import { DOWNLOAD_MEDIA, type DownloadMediaJob } from './queues.js';

const DOWNLOAD_BATCH = 4;

export async function startMediaWorkers(deps: MediaDeps & { queue: JobQueue }): Promise<void> {
  const { boss, pollingIntervalSeconds } = deps.queue;
  await boss.work<DownloadMediaJob>(DOWNLOAD_MEDIA, {
    includeMetadata: true, perJobResults: true, batchSize: DOWNLOAD_BATCH, burstWhenBatchFull: true,
    pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds,
  }, (jobs) => Promise.all((jobs as JobWithMetadata<DownloadMediaJob>[]).map(async (job): Promise<JobResult> => {
    try {
      await downloadInboundMedia(deps, job.data, job.retryCount >= job.retryLimit);
      return { id: job.id, status: 'completed' };
    } catch (err) {
      return { id: job.id, status: 'failed', output: { message: err instanceof Error ? err.message : String(err) } };
    }
  })));
}
