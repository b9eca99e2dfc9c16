/**
 * Portal sessions: a random token in an HttpOnly cookie, stored only as its
 * SHA-256, valid for one conversation.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TenantTx } from '../db/tenant.js';

export const PORTAL_COOKIE = 'tf_portal';
/** Lifetime of a portal session in milliseconds (30 days). */
export const PORTAL_SESSION_MS = 30 * 86_400_000;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** @returns the token for the cookie */
export async function createPortalSession(trx: TenantTx, orgId: string, conversationId: string, customerId: string | null, now: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await trx.insertInto('portal_sessions').values({
    org_id: orgId, customer_id: customerId, conversation_id: conversationId, token_hash: hash(token), expires_at: new Date(now.getTime() + PORTAL_SESSION_MS),
  }).execute();
  return token;
}

/** The session a cookie token belongs to (looked up as the owner: the tenant is what it finds out), if still valid. */
export async function findPortalSession(db: Kysely<Database>, token: string, now: Date): Promise<{ orgId: string; conversationId: string } | null> {
  const row = await db.selectFrom('portal_sessions').select(['org_id', 'conversation_id', 'expires_at']).where('token_hash', '=', hash(token)).executeTakeFirst();
  return row && row.expires_at > now ? { orgId: row.org_id, conversationId: row.conversation_id } : null;
}
