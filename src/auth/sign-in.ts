/**
 * Staff sign-in, throttled in the database (shared by every server
 * instance) with a growing delay rather than a hard lock
 * (src/domain/sign-in-delay.ts; issue 10 item 14):
 * - per email and client address: `FREE_FAILURES_PER_ADDRESS` failures in
 *   `SIGN_IN_WINDOW_MS`, then each attempt waits 1 s, 2 s, 4 s … after the
 *   latest failure. Guessing the owner's password from elsewhere never slows
 *   the owner down at the owner's own address;
 * - per email across all addresses: `FREE_FAILURES_PER_EMAIL`, then the same
 *   delay, except from an address this email signed in from successfully in
 *   the last `TRUSTED_ADDRESS_MS` (a spread-out guesser cannot lock the owner out);
 * - per client address across all emails: at most `MAX_FAILURES_PER_IP`
 *   failures in the window (password spraying).
 * A refused attempt checks no password and is not counted.
 *
 * Emails are unique per organisation (migration 0007b): the same address
 * may have accounts in several garages. Sign-in opens the one account
 * whose password matches; when several match, the caller names the garage
 * (`organisation`, its slug), else 409 `organisation_required`. Unknown
 * emails cost the same argon2 verification as known ones, so response time
 * does not reveal which emails exist.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { AppError } from '../server/errors.js';
import { waitLeftMs } from '../domain/sign-in-delay.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { newSecret, sha256 } from './tokens.js';

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Failures per email from one client address before the delay starts. */
export const FREE_FAILURES_PER_ADDRESS = 5;
/** Failures per email from all addresses before the delay starts for addresses it never signed in from. */
export const FREE_FAILURES_PER_EMAIL = 20;
/** An address the email signed in from this recently is exempt from the per-email delay. */
export const TRUSTED_ADDRESS_MS = 30 * 24 * 3_600_000;
export const MAX_FAILURES_PER_IP = 30;
/** Lifetime of a staff session in milliseconds (12 hours: one working day). */
export const SESSION_MS = 12 * 3_600_000;

let decoyHash: Promise<string> | null = null;

type Attempt = { id: string; email: string; ip: string; now: Date };

/**
 * Refuse the attempt when its email and address, its email, or its address
 * have failed too often lately.
 * @throws AppError too_many_attempts (the attempt's row is removed first)
 */
async function throttle(db: Kysely<Database>, a: Attempt): Promise<void> {
  const since = new Date(a.now.getTime() - SIGN_IN_WINDOW_MS);
  const pair = (eb: ExpressionBuilder<Database, 'sign_in_attempts'>) => eb.and([eb('email', '=', a.email), eb('ip', '=', a.ip)]);
  // Counted without this attempt, after recording it: of concurrent attempts, the k-th to commit its
  // row sees at least k − 1 others, so a burst of parallel guesses cannot all pass before any is recorded.
  const f = await db.selectFrom('sign_in_attempts')
    .select((eb) => [
      eb.fn.countAll<string>().filterWhere(pair(eb)).as('by_pair'),
      eb.fn.max('attempted_at').filterWhere(pair(eb)).as('last_pair'),
      eb.fn.countAll<string>().filterWhere('email', '=', a.email).as('by_email'),
      eb.fn.max('attempted_at').filterWhere('email', '=', a.email).as('last_email'),
      eb.fn.countAll<string>().filterWhere('ip', '=', a.ip).as('by_ip'),
    ])
    .where('succeeded', '=', false).where('attempted_at', '>', since).where('id', '<>', a.id)
    .where((eb) => eb.or([eb('email', '=', a.email), eb('ip', '=', a.ip)]))
    .executeTakeFirstOrThrow();
  let wait = waitLeftMs(Number(f.by_pair), FREE_FAILURES_PER_ADDRESS, f.last_pair ? new Date(f.last_pair) : null, a.now);
  if (wait === 0 && Number(f.by_email) >= FREE_FAILURES_PER_EMAIL) {
    const trusted = await db.selectFrom('sign_in_attempts').select('id').where('email', '=', a.email).where('ip', '=', a.ip)
      .where('succeeded', '=', true).where('attempted_at', '>', new Date(a.now.getTime() - TRUSTED_ADDRESS_MS)).limit(1).executeTakeFirst();
    if (!trusted) wait = waitLeftMs(Number(f.by_email), FREE_FAILURES_PER_EMAIL, f.last_email ? new Date(f.last_email) : null, a.now);
  }
  const sprayed = Number(f.by_ip) >= MAX_FAILURES_PER_IP;
  if (wait === 0 && !sprayed) return;
  await db.deleteFrom('sign_in_attempts').where('id', '=', a.id).execute();
  throw new AppError('too_many_attempts', sprayed
    ? 'Too many failed sign-in attempts from this address. Wait 15 minutes.'
    : `Too many failed sign-in attempts. Wait ${Math.ceil(wait / 1000)} seconds and try again, or reset your password.`);
}

/**
 * @param organisation the garage's slug, needed only when the email and password open accounts in several
 * @returns the session token for the cookie
 * @throws AppError too_many_attempts | invalid_credentials | organisation_required
 */
export async function signIn(db: Kysely<Database>, emailRaw: string, password: string, ip: string, now = new Date(), organisation: string | null = null): Promise<{ token: string; expiresAt: Date }> {
  const email = emailRaw.trim().toLowerCase();
  const attempt = await db.insertInto('sign_in_attempts').values({ email, ip, succeeded: false, attempted_at: now }).returning('id').executeTakeFirstOrThrow();
  await throttle(db, { id: attempt.id, email, ip, now });
  const accounts = await db.selectFrom('staff_users as u').innerJoin('organisations as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.org_id', 'u.password_hash', 'u.disabled_at', 'o.slug'])
    .where('u.email', '=', email).$if(organisation !== null, (q) => q.where('o.slug', '=', organisation!)).orderBy('u.created_at').execute();
  decoyHash ??= hashPassword(newSecret());
  const matching: typeof accounts = [];
  for (const account of accounts.length > 0 ? accounts : [null]) {
    const ok = await verifyPassword(account?.password_hash ?? (await decoyHash), password);
    if (account && ok && account.password_hash && !account.disabled_at) matching.push(account);
  }
  const user = matching[0];
  if (!user) throw new AppError('invalid_credentials', 'Email or password is not right.');
  if (matching.length > 1) {
    await db.deleteFrom('sign_in_attempts').where('id', '=', attempt.id).execute();
    throw new AppError('organisation_required', 'This email and password open accounts in several garages: choose the garage to sign in to.');
  }
  await db.updateTable('sign_in_attempts').set({ succeeded: true }).where('id', '=', attempt.id).execute();
  // The right password from this address: its earlier mistakes no longer slow it down.
  await db.deleteFrom('sign_in_attempts').where('email', '=', email).where('ip', '=', ip).where('succeeded', '=', false).execute();
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_MS);
  await withTenant(db, user.org_id, (trx) => trx.insertInto('staff_sessions').values({ org_id: user.org_id, user_id: user.id, token_hash: sha256(token), expires_at: expiresAt }).execute());
  return { token, expiresAt };
}

/** End the session behind `token`, if any. */
export async function signOut(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', sha256(token)).execute();
}
