/**
 * Portal magic links: `/l/{8 characters}` on this server signs the customer
 * into the portal on one conversation without a password
 * (spec: portal-messaging-fallback.txt; default lifetime 7 days).
 */
import { randomInt } from 'node:crypto';
import type { TenantTx } from '../db/tenant.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
export const PORTAL_LINK_CODE = /^[A-Za-z0-9]{8}$/;

/** A random 8-character code without look-alike characters (0/O, 1/l/I). */
export function newLinkCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/**
 * Issue a magic link for a conversation.
 * @param ttlDays lifetime in days
 * @returns the code; the link is `{PUBLIC_BASE_URL}/l/{code}`
 */
export async function createPortalLink(trx: TenantTx, orgId: string, conversationId: string, customerId: string | null, ttlDays: number, now: Date): Promise<string> {
  const code = newLinkCode();
  await trx.insertInto('portal_links').values({
    code, org_id: orgId, customer_id: customerId, conversation_id: conversationId,
    expires_at: new Date(now.getTime() + ttlDays * 86_400_000),
  }).execute();
  return code;
}

/** The link as printed in an SMS: without the scheme, to save characters (`example.com/l/Ab3dE5gH`). */
export function printableLink(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl.replace(/^https?:\/\//, '')}/l/${code}`;
}
