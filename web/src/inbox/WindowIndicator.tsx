/** The WhatsApp 24-hour window state in the thread header: Open (green) or Expired (orange-red). */
import type { WhatsAppWindow } from '../api/types';
import { messageTime } from '../lib/time';

/**
 * The words for a closed window, shared by the header pill and the composer
 * so both always say the same thing (issue 12 reviewer: the header said "No
 * WhatsApp window" while the composer said the window expired).
 */
export function closedWindowText(state: WhatsAppWindow['state']): string {
  return state === 'expired' ? 'Window expired' : 'No WhatsApp window';
}

/**
 * Whether the thread header shows the window pill: only for threads that use
 * WhatsApp (the customer last wrote on it, or a WhatsApp message is in the
 * thread), never for SMS-only threads.
 */
export function showsWindowPill(lastChannel: string | null, messageChannels: readonly string[]): boolean {
  return lastChannel === 'whatsapp' || messageChannels.includes('whatsapp');
}

export function WindowIndicator({ window: w }: { window: WhatsAppWindow }) {
  if (w.state === 'open') {
    return (
      <span className="window window-open" data-window="open" title={w.expiresAt ? `Free-form replies until ${messageTime(w.expiresAt)}` : undefined}>
        <span className="dot" aria-hidden="true" />Window open{w.expiresAt ? <span className="window-until"> until {messageTime(w.expiresAt)}</span> : null}
      </span>
    );
  }
  return (
    <span className="window window-expired" data-window={w.state}>
      <span className="dot" aria-hidden="true" />{closedWindowText(w.state)}
    </span>
  );
}
