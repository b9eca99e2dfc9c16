/**
 * Creates an organisation with its default roles (owner, manager, service
 * advisor, technician), which owners may then edit.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { DEFAULT_ROLES, type DefaultRoleKey } from '../auth/capabilities.js';

/** @returns the organisation id and its default roles' ids by key */
export async function createOrganisation(trx: Transaction<Database>, org: { name: string; slug: string }): Promise<{ id: string; roles: Record<DefaultRoleKey, string> }> {
  const row = await trx.insertInto('organisations').values(org).returning('id').executeTakeFirstOrThrow();
  const roles = await trx.insertInto('roles').values(
    (Object.entries(DEFAULT_ROLES) as Array<[DefaultRoleKey, (typeof DEFAULT_ROLES)[DefaultRoleKey]]>).map(([key, r]) => ({
      org_id: row.id, key, name: r.name, capabilities: [...r.capabilities],
    })),
  ).returning(['id', 'key']).execute();
  return { id: row.id, roles: Object.fromEntries(roles.map((r) => [r.key!, r.id])) as Record<DefaultRoleKey, string> };
}
