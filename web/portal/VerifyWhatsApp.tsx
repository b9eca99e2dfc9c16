/**
 * "Confirm your WhatsApp number" on the portal's Communication Preferences
 * page, shown while the garage has sent the customer a code: the customer
 * types it; a correct code turns WhatsApp messages on (recorded as WhatsApp
 * verification). 5 wrong codes lock it and the garage sends a new one.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, type PortalVerification } from './api';

export function VerifyWhatsApp({ onVerified }: { onVerified(): void }) {
  const [v, setV] = useState<PortalVerification | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { void api.verification().then((r) => setV(r.verification)).catch(() => setV(null)); }, []);
  if (!v || (v.status !== 'pending' && v.status !== 'verified' && v.status !== 'locked')) return null;
  if (v.status === 'verified') return <p className="verify-done" role="status">Your WhatsApp number is confirmed.</p>;
  if (v.status === 'locked') return <p className="verify-locked" role="alert">Too many wrong codes. Ask the garage to send you a new one.</p>;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setV((await api.checkVerification(code)).verification);
      onVerified();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not check the code.');
      void api.verification().then((r) => setV(r.verification));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="verify" onSubmit={(e) => void submit(e)} aria-labelledby="verify-title">
      <h3 id="verify-title">Confirm your WhatsApp number</h3>
      <p className="muted">Type the 6-digit code we sent you by {v.channel === 'whatsapp' ? 'WhatsApp' : 'text message'}.</p>
      <label htmlFor="verify-code">Verification code</label>
      <input id="verify-code" inputMode="numeric" autoComplete="one-time-code" maxLength={9} value={code} onChange={(e) => setCode(e.target.value)} />
      <button type="submit" disabled={busy || code.trim() === ''}>Confirm</button>
      {error ? <p className="verify-error" role="alert">{error}</p> : null}
    </form>
  );
}
