/**
 * The bridge SMS (spec: whatsapp-24-hour-window.txt, portal-messaging-fallback.txt).
 * When a staff or AI free-form WhatsApp message meets a closed window, that
 * message is recorded failed and one SMS goes to the customer instead, with a
 * wa.me link and a portal magic link, at most once per conversation per 24
 * hours. The 24-hour rule is enforced by one conditional UPDATE of the
 * conversation row, so concurrent attempts produce exactly one bridge.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import type { Message } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { bridgeDecision, BRIDGE_INTERVAL_MS } from '../domain/bridge.js';
import { composeBridgeSms } from '../domain/bridge-sms.js';
import type { SendContext } from './send-context.js';
import { insertOutbound } from './outbound-message.js';
import { createPortalLink, printableLink } from './portal-links.js';
import { enqueueDelivery } from './queues.js';

export type BridgeSettings = { publicBaseUrl: string; portalLinkTtlDays: number };

export type BridgeOutcome =
  | { action: 'sent'; reason: 'window_expired_bridge_sent'; bridge: Message }
  | { action: 'suppressed'; reason: 'window_expired_bridge_recently_sent' }
  | { action: 'blocked'; reason: 'window_expired_no_phone' | 'window_expired_sms_opted_out' | 'window_expired_no_sms_number' };

/** Take the conversation's bridge slot if 24 hours have passed since the last bridge. */
async function claimBridgeSlot(trx: TenantTx, orgId: string, conversationId: string, now: Date): Promise<boolean> {
  const claimed = await sql<{ id: string }>`
    UPDATE conversations SET last_bridge_sent_at = ${now}
    WHERE org_id = ${orgId} AND id = ${conversationId}
      AND (last_bridge_sent_at IS NULL OR last_bridge_sent_at <= ${new Date(now.getTime() - BRIDGE_INTERVAL_MS)})
    RETURNING id
  `.execute(trx);
  return claimed.rows.length === 1;
}

/**
 * Decide and, when due, queue the bridge SMS for a conversation whose window is closed.
 * The caller records its WhatsApp message as failed with the returned reason.
 */
export async function bridgeInstead(trx: TenantTx, queue: JobQueue, ctx: SendContext, settings: BridgeSettings, now: Date): Promise<BridgeOutcome> {
  const decision = bridgeDecision({
    customerPhone: ctx.phone,
    smsOptedOut: ctx.smsOptedOut,
    orgSmsNumber: ctx.smsNumber,
    lastBridgeSentAt: ctx.conversation.last_bridge_sent_at,
    now,
  });
  if (decision.action === 'blocked') return { action: 'blocked', reason: decision.reason };
  if (decision.action === 'suppress' || !(await claimBridgeSlot(trx, ctx.orgId, ctx.conversation.id, now))) {
    return { action: 'suppressed', reason: 'window_expired_bridge_recently_sent' };
  }
  const code = await createPortalLink(trx, ctx.orgId, ctx.conversation.id, ctx.customer?.id ?? null, settings.portalLinkTtlDays, now);
  const body = composeBridgeSms({ orgName: ctx.org.name, whatsappNumber: ctx.whatsappNumber, portalLink: printableLink(settings.publicBaseUrl, code) });
  const bridge = await insertOutbound(trx, ctx.orgId, {
    conversationId: ctx.conversation.id,
    channel: 'sms',
    body,
    sender: { type: 'system' },
    status: 'pending',
    category: 'transactional',
    notificationType: 'bridge',
    metadata: { portalLinkCode: code },
  }, now);
  await enqueueDelivery(trx, queue, ctx.orgId, bridge.id);
  return { action: 'sent', reason: 'window_expired_bridge_sent', bridge };
}
