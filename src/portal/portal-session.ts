/**
 * Portal sessions: a random token in an HttpOnly cookie, stored only as its
 * SHA-256, for one customer's conversation. A session lives at most
 * `PORTAL_SESSION_MS` and never longer than the magic link it was made from:
 * it ends when that link expires or is revoked (issue 10 item 6).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TenantTx } from '../db/tenant.js';

export const PORTAL_COOKIE = 'tf_portal';
/** Longest lifetime of a portal session in milliseconds (30 days). */
export const PORTAL_SESSION_MS = 30 * 86_400_000;

/** Who a portal request is from: one customer, on their one conversation. */
export type PortalSession = { sessionId: string; orgId: string; conversationId: string; customerId: string | null; expiresAt: Date };

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * @param link the magic link used (its id and expiry)
 * @returns the token for the cookie and when the session ends
 */
export async function createPortalSession(trx: TenantTx, orgId: string, link: { id: string; conversationId: string; customerId: string | null; expiresAt: Date }, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Math.min(now.getTime() + PORTAL_SESSION_MS, link.expiresAt.getTime()));
  await trx.insertInto('portal_sessions').values({
    org_id: orgId, customer_id: link.customerId, conversation_id: link.conversationId, link_id: link.id, token_hash: hash(token), expires_at: expiresAt,
  }).execute();
  return { token, expiresAt };
}

/**
 * The session a cookie token belongs to, if it and its link are still valid
 * (looked up as the owner: the tenant is what it finds out).
 */
export async function findPortalSession(db: Kysely<Database>, token: string, now: Date): Promise<PortalSession | null> {
  const row = await db.selectFrom('portal_sessions as s')
    .innerJoin('portal_links as l', (j) => j.onRef('l.org_id', '=', 's.org_id').onRef('l.id', '=', 's.link_id'))
    .select(['s.id', 's.org_id', 's.conversation_id', 's.customer_id', 's.expires_at', 'l.expires_at as link_expires_at', 'l.revoked_at'])
    .where('s.token_hash', '=', hash(token)).executeTakeFirst();
  if (!row || row.expires_at <= now || row.link_expires_at <= now || row.revoked_at !== null) return null;
  return { sessionId: row.id, orgId: row.org_id, conversationId: row.conversation_id, customerId: row.customer_id, expiresAt: row.expires_at };
}

/** End a session (sign out). */
export async function endPortalSession(trx: TenantTx, orgId: string, sessionId: string): Promise<void> {
  await trx.deleteFrom('portal_sessions').where('org_id', '=', orgId).where('id', '=', sessionId).execute();
}
