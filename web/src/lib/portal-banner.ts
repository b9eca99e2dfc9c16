/**
 * Which portal-activity banner the composer shows before a portal message
 * (portal-messaging-fallback.txt, "Understand the warning banners"):
 * - active (logged in within the last 30 days): no banner;
 * - inactive (last login more than 30 days ago): yellow, "This customer
 *   hasn't logged in recently (last: {date})";
 * - never logged in (no last login): red, "This customer has never
 *   accessed the portal".
 * Pure: unit-tested.
 */

import { MONTHS } from './time.js';

export type PortalBanner =
  | { kind: 'none' }
  | { kind: 'inactive'; tone: 'warning'; lastLoginAt: string; text: string }
  | { kind: 'never'; tone: 'danger'; text: string };

const DAY_MS = 86_400_000;
export const PORTAL_ACTIVE_DAYS = 30;

/** `3 Nov 2026` in UTC (a stable date for the banner whatever the browser's zone). */
export function bannerDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function portalBanner(lastLoginAt: string | null | undefined, now: Date): PortalBanner {
  if (!lastLoginAt) return { kind: 'never', tone: 'danger', text: 'This customer has never accessed the portal' };
  const age = now.getTime() - new Date(lastLoginAt).getTime();
  if (age <= PORTAL_ACTIVE_DAYS * DAY_MS) return { kind: 'none' };
  return { kind: 'inactive', tone: 'warning', lastLoginAt, text: `This customer hasn't logged in recently (last: ${bannerDate(lastLoginAt)})` };
}
