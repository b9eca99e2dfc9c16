/**
 * Claiming due unread-message reminders. For every organisation with
 * reminders on, one statement inserts a `message_reminders` row for each
 * staff message that is still unread `reminder_delay_hours` after it was
 * sent (the delay is read at scan time, so a changed delay applies to
 * messages still waiting), flags the message `reminder_sent`, and the same
 * transaction queues one `unread-reminder` job per new row. The primary key
 * (org_id, message_id) with ON CONFLICT DO NOTHING makes the claim exactly
 * once whatever the number of scanners, workers or restarts.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';
import { REMINDER_LOOKBACK_MS } from '../domain/unread-reminder.js';
import { UNREAD_REMINDER, type UnreadReminderJob } from './reminder-queues.js';

/**
 * @param now the scan's clock (tests pass their own)
 * @returns how many reminders this scan claimed
 */
export async function scanDueReminders(db: Kysely<Database>, queue: JobQueue, now: Date): Promise<number> {
  const orgs = await db.selectFrom('organisations').select(['id', 'reminder_delay_hours']).where('reminders_enabled', '=', true).execute();
  let claimed = 0;
  for (const org of orgs) {
    const dueBefore = new Date(now.getTime() - org.reminder_delay_hours * 3_600_000);
    const notBefore = new Date(dueBefore.getTime() - REMINDER_LOOKBACK_MS);
    claimed += await withTenant(db, org.id, async (trx) => {
      const rows = await sql<{ message_id: string }>`
        WITH due AS (
          SELECT m.id, m.conversation_id, c.customer_id
          FROM messages m JOIN conversations c ON c.org_id = m.org_id AND c.id = m.conversation_id
          WHERE m.org_id = ${org.id} AND m.direction = 'outbound' AND m.sender_user_id IS NOT NULL
            AND m.reminder_sent = false AND m.read_at IS NULL AND m.status IN ('sent', 'delivered')
            AND m.channel IN ('sms', 'whatsapp', 'portal') AND c.customer_id IS NOT NULL
            AND m.occurred_at <= ${dueBefore} AND m.occurred_at > ${notBefore}
        ), claimed AS (
          INSERT INTO message_reminders (org_id, message_id, conversation_id, customer_id)
          SELECT ${org.id}, id, conversation_id, customer_id FROM due
          ON CONFLICT (org_id, message_id) DO NOTHING
          RETURNING message_id
        ), flagged AS (
          UPDATE messages SET reminder_sent = true WHERE org_id = ${org.id} AND id IN (SELECT message_id FROM claimed)
        )
        SELECT message_id FROM claimed
      `.execute(trx);
      for (const row of rows.rows) {
        const job: UnreadReminderJob = { orgId: org.id, messageId: row.message_id };
        await queue.enqueue(trx, UNREAD_REMINDER, job, { singletonKey: `${org.id}:${row.message_id}` });
      }
      return rows.rows.length;
    });
  }
  return claimed;
}
