/**
 * "Send a bridge SMS" in the expired-window composer (spec:
 * whatsapp-24-hour-window.txt, "the simplest workaround is a bridge SMS"):
 * the same bridge rule and 24-hour dedup as an automatic bridge; says when
 * one was sent recently instead of sending another.
 */
import { useState } from 'react';
import { ApiError } from '../api/client';
import type { Message } from '../api/types';
import { sendBridgeSms } from './api';

const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' });

export function BridgeSmsAction({ conversationId, onSent }: { conversationId: string; onSent(bridge: Message): void }) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const send = async () => {
    setBusy(true);
    setNote(null);
    try {
      const r = await sendBridgeSms(conversationId);
      if (r.outcome === 'sent' && r.bridge) {
        onSent(r.bridge);
        setNote({ tone: 'info', text: 'Bridge SMS sent: the customer gets a WhatsApp link and a portal link by text.' });
      } else {
        setNote({ tone: 'info', text: `A bridge SMS was already sent${r.lastBridgeSentAt ? ` on ${when(r.lastBridgeSentAt)}` : ' recently'}; only one goes out per 24 hours.` });
      }
    } catch (err) {
      setNote({ tone: 'error', text: err instanceof ApiError ? err.message : 'Could not send the bridge SMS.' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="bridge-action">
      <button type="button" className="btn" onClick={send} disabled={busy}>{busy ? 'Sending…' : 'Send a bridge SMS'}</button>
      {note ? <p className={`composer-notice ${note.tone}`} role={note.tone === 'error' ? 'alert' : 'status'}>{note.text}</p> : null}
    </div>
  );
}
