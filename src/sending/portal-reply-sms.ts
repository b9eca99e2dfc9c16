/**
 * "Also text portal replies" (`organisations.portal_reply_sms`; spec:
 * portal-messages.txt, routing table: "Staff replies in CRM → Portal thread +
 * customer's phone (SMS)"; issue 11 item 4): a garage reply on the portal
 * channel also texts the customer a short SMS with a fresh portal link. The
 * SMS is composed like any other (consent gate, SMS opt-out, the garage's
 * number, the outbox) in the reply's transaction; when the consent gate or
 * an SMS opt-out refuses it, the portal reply still goes and nothing else is stored.
 */
import type { TenantTx } from '../db/tenant.js';
import type { MessageCategory } from '../db/schema.js';
import { consentGate } from '../domain/consent.js';
import type { BridgeSettings } from './bridge.js';
import { createPortalLink, printableLink } from './portal-links.js';
import type { SendContext } from './send-context.js';

/** The SMS text: `{Org}: you have a new message. Read and reply: {link}`. */
export function portalReplySmsText(orgName: string, link: string): string {
  return `${orgName}: you have a new message. Read and reply: ${link}`;
}

type Compose = (req: { conversationId: string; sender: { type: 'system' }; channel: 'sms'; body: string; category: MessageCategory }) => Promise<unknown>;

/**
 * @param compose the composer itself, bound to the reply's transaction (injected: compose-message.ts calls this)
 * @returns whether an SMS was queued
 */
export async function alsoTextPortalReply(trx: TenantTx, ctx: SendContext, category: MessageCategory, settings: BridgeSettings, now: Date, compose: Compose): Promise<boolean> {
  const org = await trx.selectFrom('organisations').select('portal_reply_sms').where('id', '=', ctx.orgId).executeTakeFirstOrThrow();
  if (!org.portal_reply_sms || !ctx.available.includes('sms')) return false;
  const gate = consentGate({ channel: 'sms', category, consents: ctx.consents, hasActiveWorkOrder: ctx.hasActiveWorkOrder, smsOptedOut: ctx.smsOptedOut });
  if (!gate.allowed) return false;
  const code = await createPortalLink(trx, ctx.orgId, ctx.conversation.id, ctx.customer?.id ?? null, settings.portalLinkTtlDays, now);
  await compose({ conversationId: ctx.conversation.id, sender: { type: 'system' }, channel: 'sms', category, body: portalReplySmsText(ctx.org.name, printableLink(settings.publicBaseUrl, code)) });
  return true;
}
