/**
 * Organisation API tokens for integrations: `tf_` + 32 random bytes in
 * base64url. Only the SHA-256 of a token is stored; the token is shown once.
 * A token carries its own capability set (default: every capability).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { CAPABILITIES, type Capability } from '../auth/capabilities.js';
import { newSecret, sha256 } from '../auth/tokens.js';

/**
 * Revoke the organisation's active tokens with this id or name (revoked
 * tokens stay listed, with the time).
 * @returns the tokens revoked now (none when nothing active matched, or `id` is not a uuid)
 */
export async function revokeApiTokens(db: Kysely<Database>, orgId: string, which: { id: string } | { name: string }, now = new Date()): Promise<Array<{ id: string; name: string }>> {
  if ('id' in which && !UUID.test(which.id)) return [];
  return db.updateTable('api_tokens').set({ revoked_at: now })
    .where('org_id', '=', orgId).where('revoked_at', 'is', null)
    .where('id' in which ? 'id' : 'name', '=', 'id' in which ? which.id : which.name)
    .returning(['id', 'name']).execute();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Create a token for `orgId`; returns the plain token (the only time it exists). */
export async function createApiToken(db: Kysely<Database>, orgId: string, name: string, capabilities: readonly Capability[] = CAPABILITIES): Promise<string> {
  const token = `tf_${newSecret()}`;
  await db.insertInto('api_tokens').values({ org_id: orgId, name, token_hash: sha256(token), capabilities: [...capabilities] }).execute();
  return token;
}
