/**
 * The rate limit of failed magic-link look-ups (issue 10 item 6): someone
 * trying codes at `/l/{code}` is stopped per client address and, against
 * many addresses at once, for the whole service. Only failures count (an
 * unknown, expired or revoked code look the same to the caller), so a
 * customer opening their own link is never slowed down by it, except while
 * the service-wide limit is reached.
 *
 * Counts come from the database (`portal_link_failures`), so the limit holds
 * across every server instance.
 */

/** The window failures are counted over, in milliseconds (15 minutes). */
export const LINK_FAILURE_WINDOW_MS = 15 * 60_000;
/** Failed look-ups one address may make per window. */
export const LINK_FAILURES_PER_ADDRESS = 10;
/** Failed look-ups across all addresses per window. */
export const LINK_FAILURES_GLOBAL = 1_000;

export type LinkFailureCounts = {
  /** Failures from this client address within the window. */
  address: number;
  /** Failures from every address within the window. */
  global: number;
};

/**
 * Whether a look-up may go ahead. Pure.
 * @returns `'allowed'`, or which limit is reached (the caller answers 429 without looking the code up)
 */
export function linkLookupVerdict(counts: LinkFailureCounts): 'allowed' | 'address_limited' | 'globally_limited' {
  if (counts.address >= LINK_FAILURES_PER_ADDRESS) return 'address_limited';
  if (counts.global >= LINK_FAILURES_GLOBAL) return 'globally_limited';
  return 'allowed';
}
