/**
 * Organisation API tokens for integrations: `tf_` + 32 random bytes in
 * base64url. Only the SHA-256 of a token is stored; the token is shown once.
 * A token carries its own capability set (default: every capability).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { CAPABILITIES, type Capability } from '../auth/capabilities.js';
import { newSecret, sha256 } from '../auth/tokens.js';

/** Create a token for `orgId`; returns the plain token (the only time it exists). */
export async function createApiToken(db: Kysely<Database>, orgId: string, name: string, capabilities: readonly Capability[] = CAPABILITIES): Promise<string> {
  const token = `tf_${newSecret()}`;
  await db.insertInto('api_tokens').values({ org_id: orgId, name, token_hash: sha256(token), capabilities: [...capabilities] }).execute();
  return token;
}
