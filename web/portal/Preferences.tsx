/**
 * Communication Preferences (whatsapp-consent.txt): four toggles; each
 * change is saved at once (and audited by the server) with a success toast.
 * Work order updates is locked on while a work order is active, with a
 * tooltip saying why.
 */
import { useEffect, useId, useState } from 'react';
import { InfoIcon } from '../src/shell/icons';
import { api, type Preference } from './api';
import { VerifyWhatsApp } from './VerifyWhatsApp';

function Toggle({ pref, busy, onChange }: { pref: Preference; busy: boolean; onChange(granted: boolean): void }) {
  const tip = useId();
  return (
    <li className={`pref${pref.locked ? ' locked' : ''}`}>
      <label>
        <span className="pref-label">{pref.label}</span>
        <input type="checkbox" role="switch" checked={pref.granted} disabled={pref.locked || busy}
          aria-describedby={pref.locked ? tip : undefined} onChange={(e) => onChange(e.target.checked)} />
      </label>
      {pref.locked ? (
        <span className="tip-anchor" tabIndex={0} aria-label={`Why is ${pref.label} always on?`} aria-describedby={tip}>
          <InfoIcon size={18} /><span id={tip} role="tooltip" className="tooltip">{pref.lockedReason}</span>
        </span>
      ) : null}
    </li>
  );
}

export function Preferences({ onToast }: { onToast(text: string, kind?: 'ok' | 'error'): void }) {
  const [prefs, setPrefs] = useState<Preference[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => { void api.preferences().then((r) => setPrefs(r.preferences)); }, []);
  const change = async (category: string, granted: boolean) => {
    setBusy(category);
    try {
      setPrefs((await api.setPreference(category, granted)).preferences);
      onToast('Your preferences have been saved.');
    } catch (err) {
      onToast(err instanceof Error ? err.message : 'Could not save. Try again.', 'error');
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="prefs" aria-labelledby="prefs-title">
      <h2 id="prefs-title">Communication Preferences</h2>
      <p className="muted">Choose which messages you would like to receive from us.</p>
      <VerifyWhatsApp onVerified={() => { void api.preferences().then((r) => setPrefs(r.preferences)); onToast('Thank you: your WhatsApp number is confirmed.'); }} />
      {prefs ? <ul>{prefs.map((p) => <Toggle key={p.category} pref={p} busy={busy === p.category} onChange={(g) => void change(p.category, g)} />)}</ul> : <p role="status">Loading…</p>}
    </section>
  );
}
