/**
 * Queueing and sending the staff alert for a new portal message (text:
 * src/domain/portal-alert.ts). The job is queued in the transaction that
 * stores the customer's message (transactional outbox), only when the garage
 * set `organisations.portal_notification_phone`, and sent from the garage's
 * own Twilio number (its SMS credentials). The alert is not a message of the
 * customer's conversation, so it never shows in their thread. A retryable
 * provider error is retried by the queue.
 */
import type { Kysely } from 'kysely';
import { adapterFor } from '../channels/registry.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import { portalAlertText } from '../domain/portal-alert.js';
import type { JobQueue } from '../jobs/queue.js';
import { loadSendContext } from '../sending/send-context.js';
import type { PortalSession } from './portal-session.js';

export const PORTAL_ALERT = 'portal-alert';

export type PortalAlertJob = { orgId: string; conversationId: string; to: string; body: string };

/** Queue the alert inside the caller's transaction, when the garage has a notification number. */
export async function alertPortalMessage(trx: TenantTx, queue: JobQueue, session: PortalSession, message: { body: string; photos: number }, config: Config): Promise<void> {
  const org = await trx.selectFrom('organisations').select(['name', 'portal_notification_phone']).where('id', '=', session.orgId).executeTakeFirstOrThrow();
  if (!org.portal_notification_phone) return;
  const customer = session.customerId
    ? await trx.selectFrom('customers').select('name').where('org_id', '=', session.orgId).where('id', '=', session.customerId).executeTakeFirst()
    : undefined;
  const text = portalAlertText({
    orgName: org.name, customerName: customer?.name ?? null, body: message.body, photos: message.photos,
    threadUrl: `${config.PUBLIC_BASE_URL}/messages?conversation=${session.conversationId}`,
  });
  const job: PortalAlertJob = { orgId: session.orgId, conversationId: session.conversationId, to: org.portal_notification_phone, body: text };
  await queue.enqueue(trx, PORTAL_ALERT, job);
}

/**
 * Send one alert by SMS with the garage's credentials.
 * @throws ProviderError for the queue to retry (retryable) or give up on
 */
export async function sendPortalAlert(deps: { db: Kysely<Database>; config: Config }, job: PortalAlertJob, jobId: string): Promise<void> {
  const ctx = await withTenant(deps.db, job.orgId, (trx) => loadSendContext(trx, job.orgId, job.conversationId));
  if (!ctx) return;
  await adapterFor('sms', ctx.credentials, deps.config).send({ messageId: jobId, to: job.to, body: job.body });
}
