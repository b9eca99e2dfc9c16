/** Creates a staff user of an organisation with a role and (optionally) a password. */
import type { TenantTx } from '../db/tenant.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import { AppError } from '../server/errors.js';

export type NewStaffUser = { email: string; name: string; roleId: string; password: string | null };

/**
 * @returns the user id
 * @throws AppError validation_failed (short password), conflict (email taken)
 */
export async function createStaffUser(trx: TenantTx, orgId: string, u: NewStaffUser): Promise<string> {
  if (u.password !== null && u.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  const row = await trx.insertInto('staff_users').values({
    org_id: orgId, email: u.email.trim().toLowerCase(), name: u.name, role_id: u.roleId,
    password_hash: u.password === null ? null : await hashPassword(u.password),
  }).onConflict((oc) => oc.column('email').doNothing()).returning('id').executeTakeFirst();
  if (!row) throw new AppError('conflict', 'A staff user with this email already exists.');
  return row.id;
}
