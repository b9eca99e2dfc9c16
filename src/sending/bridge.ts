/**
 * The bridge SMS (spec: whatsapp-24-hour-window.txt, portal-messaging-fallback.txt).
 * When a staff or AI free-form WhatsApp message meets a closed window, that
 * message is recorded failed and one SMS goes to the customer instead, with a
 * wa.me link and a portal magic link, at most once per conversation per 24
 * hours, and only when the consent gate allows an SMS of the WhatsApp
 * message's category (SMS opt-out, then the category's consent). The 24-hour rule is enforced by one conditional UPDATE of the
 * conversation row, so concurrent attempts produce exactly one bridge.
 */
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { TenantTx } from '../db/tenant.js';
import type { Message, MessageCategory } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { bridgeDecision, BRIDGE_INTERVAL_MS, type BridgeBlockedReason } from '../domain/bridge.js';
import { consentGate } from '../domain/consent.js';
import { composeBridgeSms } from '../domain/bridge-sms.js';
import type { SendContext } from './send-context.js';
import { insertOutbound } from './outbound-message.js';
import { createPortalLink, printableLink } from './portal-links.js';
import { enqueueDelivery } from './queues.js';

/** `publicBaseUrl`: the base of printed magic links (PORTAL_LINK_BASE_URL). */
export type BridgeSettings = { publicBaseUrl: string; portalLinkTtlDays: number };

/** The bridge settings of a configuration. */
export function bridgeSettings(config: Pick<Config, 'PORTAL_LINK_BASE_URL' | 'PORTAL_LINK_TTL_DAYS'>): BridgeSettings {
  return { publicBaseUrl: config.PORTAL_LINK_BASE_URL, portalLinkTtlDays: config.PORTAL_LINK_TTL_DAYS };
}

export type BridgeOutcome =
  | { action: 'sent'; reason: 'window_expired_bridge_sent'; bridge: Message }
  | { action: 'suppressed'; reason: 'window_expired_bridge_recently_sent' }
  | { action: 'blocked'; reason: BridgeBlockedReason };

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
export async function bridgeInstead(trx: TenantTx, queue: JobQueue, ctx: SendContext, settings: BridgeSettings, now: Date, category: MessageCategory = 'transactional'): Promise<BridgeOutcome> {
  const decision = bridgeDecision({
    customerPhone: ctx.phone,
    smsOptedOut: ctx.smsOptedOut,
    orgSmsNumber: ctx.smsNumber,
    lastBridgeSentAt: ctx.conversation.last_bridge_sent_at,
    now,
  });
  if (decision.action === 'blocked') return { action: 'blocked', reason: decision.reason };
  // The bridge stands in for the WhatsApp message: an SMS of the same category, through the one consent gate.
  const gate = consentGate({ channel: 'sms', category, consents: ctx.consents, hasActiveWorkOrder: ctx.hasActiveWorkOrder, smsOptedOut: ctx.smsOptedOut });
  if (!gate.allowed) return { action: 'blocked', reason: gate.rule === 'sms_opted_out' ? 'window_expired_sms_opted_out' : 'window_expired_consent_blocked' };
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
    category,
    notificationType: 'bridge',
    metadata: { portalLinkCode: code },
  }, now);
  await enqueueDelivery(trx, queue, ctx.orgId, bridge.id);
  return { action: 'sent', reason: 'window_expired_bridge_sent', bridge };
}
