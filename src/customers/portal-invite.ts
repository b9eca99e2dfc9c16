/**
 * "Send portal invite" from the customer profile (issue 12 item 4): a fresh
 * magic link (src/sending/portal-links.ts, the portal's own issuing: only
 * its hash is stored, `PORTAL_LINK_TTL_DAYS` lifetime) sent to the customer
 * by SMS or e-mail on their one conversation, through the same compose rules
 * as any staff message (src/sending/compose-message.ts): the consent gate
 * (a transactional message), SMS STOP, the channel being reachable, and the
 * approval queue for a gated author. A refused send stores nothing — not
 * even the link, since both are written in one transaction.
 */
import type { TenantTx } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';
import type { BridgeSettings } from '../sending/bridge.js';
import { composeInTransaction, type ComposeOutcome } from '../sending/compose-message.js';
import type { Sender } from '../sending/outbound-message.js';
import { createPortalLink, printableLink } from '../sending/portal-links.js';
import { ensureCustomerConversation } from './customer-conversation.js';

export type InviteChannel = 'sms' | 'email';

/** The invite's text: who it is from, the link, how long it lasts. Pure. */
export function portalInviteText(garageName: string, link: string, ttlDays: number): string {
  return `${garageName}: view your messages, photos and job updates in our customer portal: ${link} (link valid ${ttlDays} day${ttlDays === 1 ? '' : 's'})`;
}

/**
 * @param settings the portal link base URL and lifetime (`bridgeSettings(config)`)
 * @returns the compose outcome (queued, or pending_approval for a gated author)
 * @throws AppError 404 not_found (customer); 422 channel_unavailable (no phone / e-mail) or the consent rule's code
 */
export async function sendPortalInvite(
  trx: TenantTx, queue: JobQueue, orgId: string, customerId: string,
  req: { channel: InviteChannel; sender: Sender; gated: boolean }, settings: BridgeSettings, now: Date,
): Promise<ComposeOutcome> {
  const conversation = await ensureCustomerConversation(trx, orgId, customerId);
  const org = await trx.selectFrom('organisations').select('name').where('id', '=', orgId).executeTakeFirstOrThrow();
  const code = await createPortalLink(trx, orgId, conversation.id, customerId, settings.portalLinkTtlDays, now);
  const link = req.channel === 'email' ? `${settings.publicBaseUrl.replace(/\/$/, '')}/l/${code}` : printableLink(settings.publicBaseUrl, code);
  return composeInTransaction(trx, queue, orgId, {
    conversationId: conversation.id, sender: req.sender, channel: req.channel, gated: req.gated, category: 'transactional',
    body: portalInviteText(org.name, link, settings.portalLinkTtlDays),
    ...(req.channel === 'email' ? { subject: `Your ${org.name} customer portal` } : {}),
  }, settings, now, null);
}
