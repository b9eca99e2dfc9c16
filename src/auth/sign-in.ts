/**
 * Staff sign-in with rate limiting kept in the database (shared by every
 * server instance): at most 5 failed attempts per email and 30 per IP
 * address in 15 minutes. Unknown emails cost the same argon2 verification
 * as known ones, so response time does not reveal which emails exist.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { AppError } from '../server/errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { newSecret, sha256 } from './tokens.js';

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;
/** Lifetime of a staff session in milliseconds (12 hours: one working day). */
export const SESSION_MS = 12 * 3_600_000;

let decoyHash: Promise<string> | null = null;

/**
 * @returns the session token for the cookie
 * @throws AppError too_many_attempts | invalid_credentials
 */
export async function signIn(db: Kysely<Database>, emailRaw: string, password: string, ip: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const email = emailRaw.trim().toLowerCase();
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  // Record the attempt as a failure BEFORE checking the limits, and count it: of concurrent
  // attempts, the k-th to commit its row sees at least k failures, so a burst of parallel
  // guesses cannot all pass the check before any of them is recorded.
  const attempt = await db.insertInto('sign_in_attempts').values({ email, ip, succeeded: false }).returning('id').executeTakeFirstOrThrow();
  const failures = await db.selectFrom('sign_in_attempts')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('email', '=', email).as('by_email'),
      eb.fn.countAll<number>().filterWhere('ip', '=', ip).as('by_ip'),
    ])
    .where('succeeded', '=', false).where('attempted_at', '>', since)
    .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', ip)]))
    .executeTakeFirstOrThrow();
  if (Number(failures.by_email) > MAX_FAILURES_PER_EMAIL || Number(failures.by_ip) > MAX_FAILURES_PER_IP) {
    // A refused attempt checks no password, so it does not count as a failure.
    await db.deleteFrom('sign_in_attempts').where('id', '=', attempt.id).execute();
    throw new AppError('too_many_attempts', 'Too many failed sign-in attempts. Wait 15 minutes or reset your password.');
  }
  const user = await db.selectFrom('staff_users').select(['id', 'org_id', 'password_hash', 'disabled_at']).where('email', '=', email).executeTakeFirst();
  decoyHash ??= hashPassword(newSecret());
  const ok = await verifyPassword(user?.password_hash ?? (await decoyHash), password);
  if (!user || !ok || user.disabled_at) throw new AppError('invalid_credentials', 'Email or password is not right.');
  await db.updateTable('sign_in_attempts').set({ succeeded: true }).where('id', '=', attempt.id).execute();
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_MS);
  await withTenant(db, user.org_id, (trx) => trx.insertInto('staff_sessions').values({ org_id: user.org_id, user_id: user.id, token_hash: sha256(token), expires_at: expiresAt }).execute());
  return { token, expiresAt };
}

/** End the session behind `token`, if any. */
export async function signOut(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', sha256(token)).execute();
}
