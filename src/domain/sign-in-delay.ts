/**
 * The sign-in throttle (issue 10 item 14): a captcha-free growing delay
 * instead of a hard lock, so nobody can lock an account (the owner's
 * included) out by guessing wrong on purpose.
 *
 * After `free` failures in the window, each further attempt must wait
 * 1 s × 2^(failures − free) after the latest failure, at most `MAX_DELAY_MS`:
 * 5 failures → 1 s, 6 → 2 s, 10 → 32 s, 15 → 15 min. Guessing slows to a
 * crawl while the right password, typed after the wait, still works.
 */

/** The longest wait between two attempts, in milliseconds (the window's length). */
export const MAX_DELAY_MS = 15 * 60_000;

/**
 * @param failures failed attempts already recorded in the window (not counting this one)
 * @param free failures allowed before any delay
 * @returns milliseconds the next attempt must wait after the latest failure (0: none)
 */
export function failureDelayMs(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.min(failures - free, 30));
}

/**
 * Milliseconds left before an attempt at `now` may be judged, for `failures`
 * earlier failures, the latest at `lastFailureAt` (null: none).
 * @returns 0 when the attempt may go ahead
 */
export function waitLeftMs(failures: number, free: number, lastFailureAt: Date | null, now: Date): number {
  if (!lastFailureAt) return 0;
  return Math.max(0, lastFailureAt.getTime() + failureDelayMs(failures, free) - now.getTime());
}
