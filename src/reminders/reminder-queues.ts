/**
 * The reminder queues: `reminder-scan` runs every minute (a pg-boss schedule,
 * one run per minute for the whole cluster) and claims due messages;
 * `unread-reminder` sends one claimed reminder.
 */
import type { QueueOptions } from 'pg-boss';

export const REMINDER_SCAN = 'reminder-scan';
export const UNREAD_REMINDER = 'unread-reminder';

export type UnreadReminderJob = { orgId: string; messageId: string };

export const reminderQueues: Record<string, QueueOptions & { notify?: boolean }> = {
  [REMINDER_SCAN]: { retryLimit: 0, expireInSeconds: 120 },
  [UNREAD_REMINDER]: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 60, notify: true },
};
