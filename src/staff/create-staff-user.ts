/** Creates a staff user of an organisation with a role and (optionally) a password. */
import type { TenantTx } from '../db/tenant.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import { AppError } from '../server/errors.js';

export type NewStaffUser = { email: string; name: string; roleId: string; password: string | null };

/**
 * @returns the user id
 * Emails are unique per organisation (migration 0007b): the same address
 * may have an account in another garage, which this neither refuses nor reveals.
 * @throws AppError validation_failed (short password), conflict (email taken in this organisation)
 */
export async function createStaffUser(trx: TenantTx, orgId: string, u: NewStaffUser): Promise<string> {
  if (u.password !== null && u.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  const row = await trx.insertInto('staff_users').values({
    org_id: orgId, email: u.email.trim().toLowerCase(), name: u.name, role_id: u.roleId,
    password_hash: u.password === null ? null : await hashPassword(u.password),
  }).onConflict((oc) => oc.columns(['org_id', 'email']).doNothing()).returning('id').executeTakeFirst();
  if (!row) throw new AppError('conflict', 'A staff user of this organisation already has this email.');
  return row.id;
}
