/**
 * Meta rejected a free-form WhatsApp message with error 131047 ("more than
 * 24 hours have passed since the customer last replied"): Meta's clock says
 * the window is closed although ours said open. Believe Meta: mark the
 * conversation's window expired and run the same bridge path as a send into
 * a closed window (spec: issue 3 item 5; provider-protocols.md §8).
 *
 * A system (automated) message is failed with `window_closed` and not
 * bridged: the bridge is for staff and AI replies (whatsapp-24-hour-window.txt).
 * A 131047 that arrives after the customer wrote again (Meta retries and
 * reorders webhooks) concerns an older window: the message is failed and the
 * open window is left alone.
 *
 * Meta reports 131047 in the send response or, more often, later in a
 * `failed` status webhook; both end here: the worker calls this directly,
 * the webhook queues a `whatsapp-window-closed` job in its transaction.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';
import { WHATSAPP_WINDOW_MS } from '../domain/whatsapp-window.js';
import { bridgeInstead, bridgeSettings } from './bridge.js';
import { loadSendContext } from './send-context.js';
import { WINDOW_CLOSED_BY_META, type DeliverMessageJob } from './queues.js';

export const META_WINDOW_CLOSED = '131047';

/** Whether the window open now was opened by a customer message sent after `sentAt`. */
function customerWroteSince(windowExpiresAt: Date | null, sentAt: Date): boolean {
  return windowExpiresAt !== null && windowExpiresAt.getTime() - WHATSAPP_WINDOW_MS > sentAt.getTime();
}

/** Queue the bridge for a message Meta failed with 131047 (called from the status webhook's transaction). */
export async function enqueueMetaClosedWindow(trx: TenantTx, queue: JobQueue, orgId: string, messageId: string): Promise<void> {
  const job: DeliverMessageJob = { orgId, messageId };
  await queue.enqueue(trx, WINDOW_CLOSED_BY_META, job);
}

/**
 * Expire the window and bridge; the WhatsApp message ends failed with the
 * bridge's reason (`window_expired_bridge_sent`, or why no bridge went out).
 */
export async function bridgeAfterMetaClosedWindow(deps: { db: Kysely<Database>; queue: JobQueue; config: Config }, job: DeliverMessageJob, now = new Date()): Promise<void> {
  await withTenant(deps.db, job.orgId, async (trx) => {
    const message = await trx.selectFrom('messages').selectAll().where('org_id', '=', job.orgId).where('id', '=', job.messageId).forUpdate().executeTakeFirst();
    if (!message || message.channel !== 'whatsapp' || message.direction !== 'outbound' || typeof message.metadata.bridgeOutcome === 'string') return;
    const conversation = await trx.selectFrom('conversations').select('whatsapp_window_expires_at').where('org_id', '=', job.orgId).where('id', '=', message.conversation_id).forUpdate().executeTakeFirstOrThrow();
    if (customerWroteSince(conversation.whatsapp_window_expires_at, message.occurred_at)) {
      // Meta's verdict is about an older window: the customer has written since, so the window is open now.
      await trx.updateTable('messages').set({ status: 'failed', provider_error_code: META_WINDOW_CLOSED, status_updated_at: now, metadata: JSON.stringify({ ...message.metadata, bridgeOutcome: 'stale' }) })
        .where('org_id', '=', job.orgId).where('id', '=', message.id).execute();
      return;
    }
    await trx.updateTable('conversations').set({ whatsapp_window_expires_at: now })
      .where('org_id', '=', job.orgId).where('id', '=', message.conversation_id)
      .where((eb) => eb.or([eb('whatsapp_window_expires_at', 'is', null), eb('whatsapp_window_expires_at', '>', now)])).execute();
    if (message.metadata.senderType === 'system') {
      // Automated messages must use templates: the bridge is for staff and AI replies only.
      await trx.updateTable('messages').set({ status: 'failed', failure_reason: 'window_closed', provider_error_code: META_WINDOW_CLOSED, status_updated_at: now, metadata: JSON.stringify({ ...message.metadata, bridgeOutcome: 'not_for_system' }) })
        .where('org_id', '=', job.orgId).where('id', '=', message.id).execute();
      return;
    }
    const ctx = await loadSendContext(trx, job.orgId, message.conversation_id);
    if (!ctx) return;
    const bridged = await bridgeInstead(trx, deps.queue, ctx, bridgeSettings(deps.config), now, message.consent_category ?? 'transactional');
    await trx.updateTable('messages').set({
      status: 'failed',
      failure_reason: bridged.reason,
      provider_error_code: META_WINDOW_CLOSED,
      status_updated_at: now,
      metadata: JSON.stringify({ ...message.metadata, bridgeOutcome: bridged.action, ...(bridged.action === 'sent' ? { bridgeMessageId: bridged.bridge.id } : {}) }),
    }).where('org_id', '=', job.orgId).where('id', '=', message.id).execute();
  });
}
