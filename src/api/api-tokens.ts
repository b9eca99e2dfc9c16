/**
 * Organisation API tokens for integrations: `tf_` + 32 random bytes in
 * base64url. Only the SHA-256 of a token is stored; the token is shown once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Create a token for `orgId`; returns the plain token (the only time it exists). */
export async function createApiToken(db: Kysely<Database>, orgId: string, name: string): Promise<string> {
  const token = `tf_${randomBytes(32).toString('base64url')}`;
  await db.insertInto('api_tokens').values({ org_id: orgId, name, token_hash: hashToken(token) }).execute();
  return token;
}

/**
 * The organisation a bearer token belongs to. Runs as the owner role: the
 * tenant is what this lookup finds out.
 * @returns null for unknown or revoked tokens
 */
export async function organisationForToken(db: Kysely<Database>, token: string): Promise<string | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select('org_id')
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.org_id ?? null;
}
