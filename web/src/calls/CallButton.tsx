/**
 * "Call" on a thread: Twilio rings your phone, then connects the customer
 * (POST /v1/conversations/{id}/calls). Asks for your phone the first time;
 * the server remembers it.
 */
import { useState } from 'react';
import { placeCall } from '../api/calls';
import { ApiError } from '../api/client';
import { Dialog } from '../shell/Dialog';
import { PhoneCallIcon } from '../shell/icons';

export function CallButton({ conversationId }: { conversationId: string }) {
  const [open, setOpen] = useState(false);
  const [phone, setPhone] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const call = async (staffPhone: string | null) => {
    setBusy(true);
    try {
      await placeCall(conversationId, staffPhone);
      setOpen(false);
      setNote('Calling your phone: answer it to be connected to the customer.');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'channel_unavailable' && !staffPhone && /staffPhone/.test(e.message)) setOpen(true);
      else setNote(e instanceof Error ? e.message : 'Could not place the call.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => void call(null)} disabled={busy} aria-label="Call the customer">
        <PhoneCallIcon size={16} /> Call
      </button>
      {note ? <p className="call-note" role="status">{note} <button type="button" className="link-button" onClick={() => setNote(null)}>Dismiss</button></p> : null}
      <Dialog open={open} title="Call the customer" onClose={() => setOpen(false)}>
        <p>Twilio rings your phone first, then connects the customer.</p>
        <label className="field"><span>Your phone</span><input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="07700 900123" /></label>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => setOpen(false)}>Cancel</button>
          <button type="button" className="btn btn-primary" disabled={busy || !phone.trim()} onClick={() => void call(phone.trim())}>Call</button>
        </div>
      </Dialog>
    </>
  );
}
