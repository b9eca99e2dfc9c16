/**
 * Settings > Voice (capability settings.communication.manage): who the
 * incoming-call webhook rings (staff phones, one per line, or a SIP
 * address), for how long, the voicemail greeting read when nobody answers,
 * and the escalation number rung before voicemail (issue 14). Phone numbers
 * may be typed in any format; the server stores them in E.164 and names the
 * one it cannot read.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { fetchVoiceSettings, saveVoiceSettings, type VoiceSettingsView } from './api';
import { CardSave, useSave, wholeNumberIn } from './useSave';

/** Ring time bounds in seconds; the server checks the same (src/api/calls/calls.routes.ts). */
const RING = { min: 5, max: 60 };
const GREETING_MAX = 500;

export function VoiceSettings() {
  const [settings, setSettings] = useState<VoiceSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { fetchVoiceSettings().then(setSettings, () => setError('Could not load the voice settings.')); }, []);
  if (error) return <p className="error-box" role="alert">{error}</p>;
  if (!settings) return <p className="muted">Loading…</p>;
  return <div className="settings-cards"><VoiceCard initial={settings} onSaved={setSettings} /></div>;
}

function VoiceCard({ initial, onSaved }: { initial: VoiceSettingsView; onSaved(s: VoiceSettingsView): void }) {
  const [ringNumbers, setRingNumbers] = useState(initial.ringNumbers.join('\n'));
  const [sipAddress, setSipAddress] = useState(initial.sipAddress ?? '');
  const [timeout, setTimeoutSeconds] = useState(String(initial.ringTimeoutSeconds));
  const [greeting, setGreeting] = useState(initial.voicemailGreeting);
  const [escalation, setEscalation] = useState(initial.escalationNumber ?? '');
  const save = useSave();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const seconds = wholeNumberIn(timeout, RING.min, RING.max);
    if (seconds === null) {
      save.fail(`Ring for: enter a whole number of seconds from ${RING.min} to ${RING.max}.`);
      return;
    }
    if (!greeting.trim()) {
      save.fail('Voicemail greeting: enter what callers hear before the beep.');
      return;
    }
    const numbers = ringNumbers.split('\n').map((n) => n.trim()).filter(Boolean);
    void save.run(async () => {
      const saved = await saveVoiceSettings({
        ringNumbers: numbers, sipAddress: sipAddress.trim() || null, ringTimeoutSeconds: seconds,
        voicemailGreeting: greeting.trim(), escalationNumber: escalation.trim() || null,
      });
      setRingNumbers(saved.ringNumbers.join('\n'));
      setEscalation(saved.escalationNumber ?? '');
      onSaved(saved);
    });
  };
  return (
    <form className="settings-card" aria-labelledby="voice-title" onSubmit={submit} noValidate>
      <h2 id="voice-title">Incoming calls</h2>
      <p className="card-note">A call to the garage's number rings everyone below at once; the first to pick up gets it. When nobody answers, the escalation number is rung, then the caller hears the greeting and can leave a voicemail.</p>
      <label className="field">
        <span>Staff phones to ring</span>
        <textarea rows={3} value={ringNumbers} placeholder={'07700 900123\n07700 900456'} onChange={(e) => setRingNumbers(e.target.value)} />
        <span className="toggle-hint">One number per line, up to ten.</span>
      </label>
      <label className="field">
        <span>Or a SIP address</span>
        <input value={sipAddress} placeholder="sip:reception@garage.sip.twilio.com" onChange={(e) => setSipAddress(e.target.value)} />
        <span className="toggle-hint">Instead of phones, for a desk phone or softphone.</span>
      </label>
      <label className="field">
        <span>Ring for (seconds)</span>
        <input type="number" inputMode="numeric" min={RING.min} max={RING.max} step={1} value={timeout} onChange={(e) => setTimeoutSeconds(e.target.value)} />
      </label>
      <label className="field">
        <span>Escalation number</span>
        <input type="tel" value={escalation} placeholder="+447700900999" onChange={(e) => setEscalation(e.target.value)} />
        <span className="toggle-hint">Rung for as long when nobody answers (the owner, an answering service). Leave empty for none.</span>
      </label>
      <label className="field">
        <span>Voicemail greeting</span>
        <textarea rows={2} maxLength={GREETING_MAX} value={greeting} onChange={(e) => setGreeting(e.target.value)} />
      </label>
      <CardSave state={save} />
    </form>
  );
}
