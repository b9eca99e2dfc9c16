/**
 * Password reset by emailed link: a single-use token valid for one hour,
 * stored as its SHA-256. Asking for a reset never reveals whether the email
 * has an account. Setting a new password ends every session of that user,
 * voids the user's other outstanding reset links, and lifts the sign-in
 * sign-in delay of their email (its message suggests a reset).
 *
 * Reset emails are rate limited in the database (issue 10 item 14): at most
 * `RESETS_PER_EMAIL` per email and `RESETS_PER_IP` per client address in
 * `RESET_LIMIT_WINDOW_MS`; a request over the limit sends nothing and gets
 * the same answer. An email with accounts in several garages gets one link
 * per account, each naming its garage.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { AppError } from '../server/errors.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { newSecret, sha256 } from './tokens.js';

export const RESET_TTL_MS = 60 * 60_000;
export const RESET_LIMIT_WINDOW_MS = 60 * 60_000;
export const RESETS_PER_EMAIL = 3;
export const RESETS_PER_IP = 20;

export type ResetLink = { token: string; name: string; email: string; organisationName: string };

/**
 * Record a reset email to `email` from `ip` if both are under their limits.
 * Recorded first and counted with the others, so concurrent requests cannot all pass.
 * @returns false when over a limit (nothing recorded)
 */
async function withinResetLimits(db: Kysely<Database>, email: string, ip: string, now: Date): Promise<boolean> {
  const row = await db.insertInto('password_reset_requests').values({ email, ip, requested_at: now }).returning('id').executeTakeFirstOrThrow();
  const counts = await db.selectFrom('password_reset_requests')
    .select((eb) => [
      eb.fn.countAll<string>().filterWhere('email', '=', email).as('by_email'),
      eb.fn.countAll<string>().filterWhere('ip', '=', ip).as('by_ip'),
    ])
    .where('requested_at', '>', new Date(now.getTime() - RESET_LIMIT_WINDOW_MS))
    .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', ip)]))
    .executeTakeFirstOrThrow();
  if (Number(counts.by_email) <= RESETS_PER_EMAIL && Number(counts.by_ip) <= RESETS_PER_IP) return true;
  await db.deleteFrom('password_reset_requests').where('id', '=', row.id).execute();
  return false;
}

/**
 * @param ip the client address, for the rate limit
 * @returns the reset links to email (one per active account with this email), none when there is no
 *   such account or a limit is reached
 */
export async function requestPasswordReset(db: Kysely<Database>, emailRaw: string, ip: string, now = new Date()): Promise<ResetLink[]> {
  const email = emailRaw.trim().toLowerCase();
  const users = await db.selectFrom('staff_users as u').innerJoin('organisations as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.org_id', 'u.name', 'o.name as organisation_name']).where('u.email', '=', email).where('u.disabled_at', 'is', null).execute();
  if (users.length === 0 || !(await withinResetLimits(db, email, ip, now))) return [];
  const links: ResetLink[] = [];
  for (const user of users) {
    const token = newSecret();
    await withTenant(db, user.org_id, (trx) => trx.insertInto('password_resets').values({ token_hash: sha256(token), org_id: user.org_id, user_id: user.id, expires_at: new Date(now.getTime() + RESET_TTL_MS) }).execute());
    links.push({ token, name: user.name, email, organisationName: user.organisation_name });
  }
  return links;
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
  // The sign-in delay tells the user to reset their password: having done so, they can sign in.
  await db.deleteFrom('sign_in_attempts').where('email', '=', reset.email).where('succeeded', '=', false).execute();
}
