/**
 * Password reset by emailed link: a single-use token valid for one hour,
 * stored as its SHA-256. Asking for a reset never reveals whether the email
 * has an account. Setting a new password ends every session of that user,
 * voids the user's other outstanding reset links, and lifts the sign-in
 * lockout of their email (its message suggests a reset).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { AppError } from '../server/errors.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { newSecret, sha256 } from './tokens.js';

export const RESET_TTL_MS = 60 * 60_000;

/** @returns the reset token to email, or null when no active user has this email */
export async function requestPasswordReset(db: Kysely<Database>, emailRaw: string, now = new Date()): Promise<{ token: string; name: string; email: string } | null> {
  const email = emailRaw.trim().toLowerCase();
  const user = await db.selectFrom('staff_users').select(['id', 'org_id', 'name', 'disabled_at']).where('email', '=', email).executeTakeFirst();
  if (!user || user.disabled_at) return null;
  const token = newSecret();
  await withTenant(db, user.org_id, (trx) => trx.insertInto('password_resets').values({ token_hash: sha256(token), org_id: user.org_id, user_id: user.id, expires_at: new Date(now.getTime() + RESET_TTL_MS) }).execute());
  return { token, name: user.name, email };
}

/** @throws AppError validation_failed (short password) | invalid_reset_token (unknown, used or expired) */
export async function completePasswordReset(db: Kysely<Database>, token: string, password: string, now = new Date()): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError('validation_failed', `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`);
  const reset = await db.selectFrom('password_resets as p')
    .innerJoin('staff_users as u', (j) => j.onRef('u.id', '=', 'p.user_id').onRef('u.org_id', '=', 'p.org_id'))
    .select(['p.org_id', 'p.user_id', 'p.expires_at', 'p.used_at', 'u.email'])
    .where('p.token_hash', '=', sha256(token)).executeTakeFirst();
  if (!reset || reset.used_at || reset.expires_at <= now) throw new AppError('invalid_reset_token', 'This reset link is invalid or has expired: ask for a new one.');
  const passwordHash = await hashPassword(password);
  await withTenant(db, reset.org_id, async (trx) => {
    const used = await trx.updateTable('password_resets').set({ used_at: now }).where('org_id', '=', reset.org_id).where('token_hash', '=', sha256(token)).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw new AppError('invalid_reset_token', 'This reset link has already been used.');
    // Any other link still outstanding for this user stops working too.
    await trx.updateTable('password_resets').set({ used_at: now }).where('org_id', '=', reset.org_id).where('user_id', '=', reset.user_id).where('used_at', 'is', null).execute();
    await trx.updateTable('staff_users').set({ password_hash: passwordHash }).where('org_id', '=', reset.org_id).where('id', '=', reset.user_id).execute();
    await trx.deleteFrom('staff_sessions').where('org_id', '=', reset.org_id).where('user_id', '=', reset.user_id).execute();
  });
  // The sign-in lockout tells the user to reset their password: having done so, they can sign in.
  await db.deleteFrom('sign_in_attempts').where('email', '=', reset.email).where('succeeded', '=', false).execute();
}
