/**
 * Registers the reminder scan (every minute, cluster-wide through a pg-boss
 * schedule) and the reminder sender on the job queue.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { REMINDER_SCAN, UNREAD_REMINDER, type UnreadReminderJob } from './reminder-queues.js';
import { scanDueReminders } from './scan-reminders.js';
import { sendReminder } from './send-reminder.job.js';

export type ReminderWorkerDeps = { db: Kysely<Database>; queue: JobQueue; config: Config; clock?: () => Date };

export async function startReminderWorkers(deps: ReminderWorkerDeps): Promise<void> {
  const { boss, pollingIntervalSeconds } = deps.queue;
  const clock = deps.clock ?? (() => new Date());
  const polling = { pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds };
  await boss.schedule(REMINDER_SCAN, '* * * * *');
  await boss.work(REMINDER_SCAN, { batchSize: 1, ...polling }, async () => {
    await scanDueReminders(deps.db, deps.queue, clock());
  });
  await boss.work<UnreadReminderJob>(UNREAD_REMINDER, { batchSize: 1, ...polling }, async ([job]) => {
    if (job) await sendReminder(deps, job.data, clock());
  });
}
