/** The WhatsApp 24-hour window state in the thread header: Open (green) or Expired (orange-red). */
import type { WhatsAppWindow } from '../api/types';
import { messageTime } from '../lib/time';

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
      <span className="dot" aria-hidden="true" />{w.state === 'expired' ? 'Window expired' : 'No WhatsApp window'}
    </span>
  );
}
