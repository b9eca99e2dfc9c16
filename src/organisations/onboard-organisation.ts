/**
 * Onboarding a new garage (issue 13 item 0): the organisation with its
 * default roles, its first owner (no password yet), and a one-time link with
 * which the owner chooses a password (the password-reset page; the link is
 * single use and valid for `INVITE_TTL_MS`). Used by `npm run org -- create`
 * and the operator API (`POST /operator/organisations`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { newSecret, sha256 } from '../auth/tokens.js';
import { createStaffUser } from '../staff/create-staff-user.js';
import { AppError } from '../server/errors.js';
import { createOrganisation } from './create-organisation.js';

/** How long the owner's set-password link stays valid: 7 days. */
export const INVITE_TTL_MS = 7 * 24 * 3600_000;

/** A slug as organisations accept it (migration 0001: lowercase letters, digits, hyphens, 1–63 chars). */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export type NewGarage = { name: string; slug: string; ownerEmail: string; ownerName: string };

export type OnboardedGarage = {
  orgId: string;
  slug: string;
  ownerId: string;
  /** Secret of the set-password link (shown once; only its SHA-256 is stored). */
  setPasswordToken: string;
  expiresAt: Date;
};

/** The owner's one-time link on this server. */
export function setPasswordLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/reset-password?token=${encodeURIComponent(token)}`;
}

/** A new set-password link for a user (e.g. when the first one expired); earlier unused links stay valid until they expire. */
async function issueLink(trx: Kysely<Database>, orgId: string, userId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + INVITE_TTL_MS);
  await trx.insertInto('password_resets').values({ token_hash: sha256(token), org_id: orgId, user_id: userId, expires_at: expiresAt }).execute();
  return { token, expiresAt };
}

/**
 * Create the garage, its owner and the owner's set-password link, in one transaction (as the connecting role:
 * an operator action across organisations).
 * @throws AppError validation_failed (name, slug or email malformed), conflict (slug taken)
 */
export async function onboardOrganisation(db: Kysely<Database>, garage: NewGarage, now = new Date()): Promise<OnboardedGarage> {
  const name = garage.name.trim();
  const slug = garage.slug.trim();
  const ownerEmail = garage.ownerEmail.trim().toLowerCase();
  const ownerName = garage.ownerName.trim() || ownerEmail;
  if (name.length < 1 || name.length > 200) throw new AppError('validation_failed', 'name: 1 to 200 characters.');
  if (!SLUG_PATTERN.test(slug)) throw new AppError('validation_failed', 'slug: lowercase letters, digits and hyphens, starting with a letter or digit, at most 63 characters.');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(ownerEmail)) throw new AppError('validation_failed', 'ownerEmail: an email address.');
  try {
    return await db.transaction().execute(async (trx) => {
      const org = await createOrganisation(trx, { name, slug });
      const ownerId = await createStaffUser(trx, org.id, { email: ownerEmail, name: ownerName, roleId: org.roles.owner, password: null });
      const link = await issueLink(trx, org.id, ownerId, now);
      return { orgId: org.id, slug, ownerId, setPasswordToken: link.token, expiresAt: link.expiresAt };
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('conflict', `An organisation with slug "${slug}" already exists.`);
    throw err;
  }
}

/**
 * A fresh set-password link for the owner(s) of `slug` with this email.
 * @throws AppError not_found (no such organisation or active user)
 */
export async function reissueOwnerLink(db: Kysely<Database>, slug: string, email: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const user = await db.selectFrom('staff_users as u').innerJoin('organisations as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.org_id']).where('o.slug', '=', slug).where('u.email', '=', email.trim().toLowerCase()).where('u.disabled_at', 'is', null).executeTakeFirst();
  if (!user) throw new AppError('not_found', `No active staff user ${email} in organisation "${slug}".`);
  return issueLink(db, user.org_id, user.id, now);
}
