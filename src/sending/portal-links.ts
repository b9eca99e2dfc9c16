/**
 * Portal magic links: `{PORTAL_LINK_BASE_URL}/l/{code}` signs the customer
 * into the portal without a password (spec: portal-messaging-fallback.txt;
 * default lifetime 7 days). Hardened per issue 10 item 6:
 * - 16 characters from 57 symbols (no look-alikes 0/O, 1/l/I): ~93 bits,
 *   while a bridge SMS with a 50-character garage name and a 30-character
 *   link host still fits one GSM-7 segment (test/domain/bridge-sms.test.ts);
 * - only the code's SHA-256 is stored (`portal_links.code_hash`);
 * - a link can be revoked, which ends the sessions made from it.
 */
import { createHash, randomInt } from 'node:crypto';
import type { TenantTx } from '../db/tenant.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
/** Characters in a code. */
export const PORTAL_LINK_CODE_LENGTH = 16;
/** The shape of a code this server issues (anything else is unknown without a look-up). */
export const PORTAL_LINK_CODE = new RegExp(`^[${ALPHABET}]{${PORTAL_LINK_CODE_LENGTH}}$`);

/** A random code of `PORTAL_LINK_CODE_LENGTH` characters of `ALPHABET` (crypto randomness). */
export function newLinkCode(): string {
  let code = '';
  for (let i = 0; i < PORTAL_LINK_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** SHA-256 of a code, hex: what `portal_links.code_hash` holds. */
export function hashLinkCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/**
 * Issue a magic link for a conversation.
 * @param ttlDays lifetime in days
 * @returns the code (shown once: only its hash is stored); the link is `printableLink(base, code)`
 */
export async function createPortalLink(trx: TenantTx, orgId: string, conversationId: string, customerId: string | null, ttlDays: number, now: Date): Promise<string> {
  const code = newLinkCode();
  await trx.insertInto('portal_links').values({
    code_hash: hashLinkCode(code), org_id: orgId, customer_id: customerId, conversation_id: conversationId,
    expires_at: new Date(now.getTime() + ttlDays * 86_400_000),
  }).execute();
  return code;
}

/**
 * Revoke every live link of a conversation; the portal sessions made from
 * them end at once (src/portal/portal-session.ts checks the link).
 * @returns how many links were revoked
 */
export async function revokePortalLinks(trx: TenantTx, orgId: string, conversationId: string, now: Date): Promise<number> {
  const revoked = await trx.updateTable('portal_links').set({ revoked_at: now })
    .where('org_id', '=', orgId).where('conversation_id', '=', conversationId).where('revoked_at', 'is', null)
    .returning('id').execute();
  return revoked.length;
}

/** The link as printed in an SMS: without the scheme, to save characters (`tflow.link/l/Ab3dE5gH…`). */
export function printableLink(linkBaseUrl: string, code: string): string {
  return `${linkBaseUrl.replace(/^https?:\/\//, '')}/l/${code}`;
}
