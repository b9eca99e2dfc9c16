/**
 * Who is making a request: a signed-in staff user (session cookie) or an
 * integration (organisation API token), with the capabilities of their
 * role or token. Looked up as the owner role: the organisation is what the
 * lookup finds out.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isCapability, type Capability } from './capabilities.js';
import { sha256 } from './tokens.js';

export const SESSION_COOKIE = 'tf_session';

export type Principal = {
  orgId: string;
  kind: 'staff' | 'token';
  /** The staff user, for staff principals. */
  userId: string | null;
  /** The API token, for integrations. */
  tokenId: string | null;
  name: string;
  roleName: string | null;
  capabilities: ReadonlySet<Capability>;
};

function capabilitySet(values: string[]): ReadonlySet<Capability> {
  return new Set(values.filter(isCapability));
}

/** @returns null for unknown or revoked tokens */
export async function principalForApiToken(db: Kysely<Database>, token: string): Promise<Principal | null> {
  const row = await db.selectFrom('api_tokens').select(['id', 'org_id', 'name', 'capabilities'])
    .where('token_hash', '=', sha256(token)).where('revoked_at', 'is', null).executeTakeFirst();
  return row ? { orgId: row.org_id, kind: 'token', userId: null, tokenId: row.id, name: row.name, roleName: null, capabilities: capabilitySet(row.capabilities) } : null;
}

/** @returns null for unknown or expired sessions and disabled users */
export async function principalForSession(db: Kysely<Database>, token: string, now: Date): Promise<Principal | null> {
  const row = await db.selectFrom('staff_sessions as s')
    .innerJoin('staff_users as u', (j) => j.onRef('u.id', '=', 's.user_id').onRef('u.org_id', '=', 's.org_id'))
    .innerJoin('roles as r', (j) => j.onRef('r.id', '=', 'u.role_id').onRef('r.org_id', '=', 'u.org_id'))
    .select(['s.org_id', 's.expires_at', 'u.id as user_id', 'u.name', 'u.disabled_at', 'r.name as role_name', 'r.capabilities'])
    .where('s.token_hash', '=', sha256(token)).executeTakeFirst();
  if (!row || row.expires_at <= now || row.disabled_at) return null;
  return { orgId: row.org_id, kind: 'staff', userId: row.user_id, tokenId: null, name: row.name, roleName: row.role_name, capabilities: capabilitySet(row.capabilities) };
}
