/**
 * Sending one claimed unread-message reminder (`unread-reminder` job). At
 * send time it checks again what may have changed since the claim: the
 * customer read the message (or a later one, replied on any channel, or
 * opened the portal), has no email, unsubscribed, or consent forbids; then
 * the reminder is recorded `skipped` with the reason and nothing is sent.
 * Otherwise it issues a portal magic link, emails the customer with
 * `List-Unsubscribe` / `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
 * (RFC 8058) and records `sent`.
 *
 * Duplicate window: SMTP takes no idempotency key, so a process that dies
 * after the server accepted the email and before `sent` is committed sends
 * it again on the job's retry; a `sent` or `skipped` reminder never is.
 */
import nodemailer from 'nodemailer';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import { loadConsents } from '../consent/consent.repository.js';
import { REMINDER_SUBJECT, reminderDecision, reminderEmailText, type ReminderDecision } from '../domain/unread-reminder.js';
import { createPortalLink } from '../sending/portal-links.js';
import type { UnreadReminderJob } from './reminder-queues.js';

export type ReminderDeps = { db: Kysely<Database>; config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'PUBLIC_BASE_URL' | 'PORTAL_LINK_TTL_DAYS'> };

type Email = { from: string; to: string; subject: string; text: string; headers: Record<string, string> };

/** The one-click unsubscribe URL of a reminder (GET shows a confirmation page, POST unsubscribes). */
export function unsubscribeUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/reminders/unsubscribe/${token}`;
}

async function readSince(trx: TenantTx, orgId: string, messageId: string): Promise<boolean> {
  const { rows } = await sql<{ read: boolean }>`
    SELECT (m.status = 'read' OR m.read_at IS NOT NULL
      OR EXISTS (SELECT 1 FROM messages l WHERE l.org_id = m.org_id AND l.conversation_id = m.conversation_id AND l.occurred_at >= m.occurred_at
                 AND ((l.direction = 'inbound') OR (l.direction = 'outbound' AND (l.status = 'read' OR l.read_at IS NOT NULL))))
      OR EXISTS (SELECT 1 FROM conversations c JOIN customers cu ON cu.org_id = c.org_id AND cu.id = c.customer_id
                 WHERE c.org_id = m.org_id AND c.id = m.conversation_id AND cu.portal_last_login_at >= m.occurred_at)) AS read
    FROM messages m WHERE m.org_id = ${orgId} AND m.id = ${messageId}
  `.execute(trx);
  return rows[0]?.read ?? true;
}

/** Decide in one tenant transaction; a skip is recorded there, a send gets its portal link and email. */
async function prepare(deps: ReminderDeps, job: UnreadReminderJob, now: Date): Promise<{ decision: ReminderDecision; email?: Email }> {
  const { orgId, messageId } = job;
  return withTenant(deps.db, orgId, async (trx) => {
    const reminder = await trx.selectFrom('message_reminders').selectAll().where('org_id', '=', orgId).where('message_id', '=', messageId).forUpdate().executeTakeFirst();
    if (!reminder || reminder.status !== 'queued' || !reminder.customer_id) return { decision: { send: false, reason: 'read' } as const };
    const message = await trx.selectFrom('messages').select(['consent_category']).where('org_id', '=', orgId).where('id', '=', messageId).executeTakeFirstOrThrow();
    const customer = await trx.selectFrom('customers').select(['name', 'email']).where('org_id', '=', orgId).where('id', '=', reminder.customer_id).executeTakeFirstOrThrow();
    const org = await trx.selectFrom('organisations').select('name').where('id', '=', orgId).executeTakeFirstOrThrow();
    const sender = await trx.selectFrom('channel_identities').select('address').where('org_id', '=', orgId).where('provider', '=', 'smtp').orderBy('created_at').executeTakeFirst();
    const activeWorkOrder = await trx.selectFrom('work_orders').select('id').where('org_id', '=', orgId).where('customer_id', '=', reminder.customer_id)
      .where('status', 'not in', ['completed', 'cancelled']).limit(1).executeTakeFirst();
    const optOut = await trx.selectFrom('reminder_opt_outs').select('customer_id').where('org_id', '=', orgId).where('customer_id', '=', reminder.customer_id).executeTakeFirst();
    const decision = reminderDecision({
      readSince: await readSince(trx, orgId, messageId),
      customerEmail: customer.email,
      unsubscribed: Boolean(optOut),
      consents: await loadConsents(trx, orgId, reminder.customer_id),
      category: message.consent_category ?? 'transactional',
      hasActiveWorkOrder: Boolean(activeWorkOrder),
      emailConfigured: Boolean(deps.config.SMTP_URL),
    });
    if (!decision.send) {
      await trx.updateTable('message_reminders').set({ status: 'skipped', skip_reason: decision.reason }).where('org_id', '=', orgId).where('message_id', '=', messageId).execute();
      return { decision };
    }
    const code = await createPortalLink(trx, orgId, reminder.conversation_id, reminder.customer_id, deps.config.PORTAL_LINK_TTL_DAYS, now);
    const unsubscribe = unsubscribeUrl(deps.config.PUBLIC_BASE_URL, reminder.unsubscribe_token);
    return {
      decision,
      email: {
        from: sender ? `${org.name} <${sender.address}>` : deps.config.MAIL_FROM,
        to: customer.email!,
        subject: REMINDER_SUBJECT,
        text: reminderEmailText({ customerName: customer.name, orgName: org.name, portalUrl: `${deps.config.PUBLIC_BASE_URL}/l/${code}`, unsubscribeUrl: unsubscribe }),
        headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      },
    };
  });
}

/**
 * Send (or skip) one reminder.
 * @throws the SMTP error, so the job is retried (the reminder stays `queued`)
 */
export async function sendReminder(deps: ReminderDeps, job: UnreadReminderJob, now: Date): Promise<ReminderDecision> {
  const { decision, email } = await prepare(deps, job, now);
  if (!email) return decision;
  const transport = nodemailer.createTransport(deps.config.SMTP_URL!);
  try {
    await transport.sendMail(email);
  } finally {
    transport.close();
  }
  await withTenant(deps.db, job.orgId, (trx) => trx.updateTable('message_reminders').set({ status: 'sent', sent_at: now })
    .where('org_id', '=', job.orgId).where('message_id', '=', job.messageId).where('status', '=', 'queued').execute());
  return decision;
}
