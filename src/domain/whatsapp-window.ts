/**
 * Meta's customer service window (spec: whatsapp-24-hour-window.txt;
 * provider-protocols.md §9): it opens when the customer messages the
 * business and closes exactly 24 hours later; each further customer message
 * resets it. Business messages, templates included, never open or extend it.
 * The clock is the provider's own timestamp of the customer's message.
 */

/** Length of the window in milliseconds. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** When the window opened by a customer message sent at `customerMessageAt` closes. */
export function windowExpiresAt(customerMessageAt: Date): Date {
  return new Date(customerMessageAt.getTime() + WHATSAPP_WINDOW_MS);
}

export type WindowState = 'open' | 'expired' | 'never_opened';

/**
 * The window's state at `now`.
 * @param expiresAt the stored expiry, null when the customer never sent a WhatsApp message
 */
export function windowState(expiresAt: Date | null, now: Date): WindowState {
  if (!expiresAt) return 'never_opened';
  return now.getTime() < expiresAt.getTime() ? 'open' : 'expired';
}
