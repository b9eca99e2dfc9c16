/**
 * Settings > Communication (capability settings.communication.manage): the
 * Default Consent Preferences card (spec: whatsapp-consent.txt), Unread
 * message reminders (portal-messaging-fallback.txt), the AI receptionist
 * and the portal notification number. Each card saves on its own.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Dialog } from '../shell/Dialog';
import { fetchCommunicationSettings, saveCommunicationSettings, type CommunicationSettings as Settings } from './api';
import { Toggle } from './Toggle';
import { CardSave, useSave, wholeNumberIn } from './useSave';

/** The spec's GDPR warning for turning Offers & promotions on by default. */
export const MARKETING_WARNING = 'Offers & promotions is off by default for GDPR compliance. Only turn it on if you are certain your business has a lawful basis and you have a suitable consent capture flow.';

export function CommunicationSettings() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { fetchCommunicationSettings().then(setSettings, () => setError('Could not load the settings.')); }, []);
  if (error) return <p className="error-box" role="alert">{error}</p>;
  if (!settings) return <p className="muted">Loading…</p>;
  return (
    <div className="settings-cards">
      <ConsentDefaultsCard initial={settings.consentDefaults} onSaved={setSettings} />
      <RemindersCard initial={settings.reminders} onSaved={setSettings} />
      <AiCard initial={settings.ai} onSaved={setSettings} />
      <PortalCard initial={settings.portal} onSaved={setSettings} />
    </div>
  );
}

type CardProps<K extends keyof Settings> = { initial: Settings[K]; onSaved(s: Settings): void };

function ConsentDefaultsCard({ initial, onSaved }: CardProps<'consentDefaults'>) {
  const [v, setV] = useState(initial);
  const [confirming, setConfirming] = useState(false);
  const save = useSave();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run(async () => onSaved(await saveCommunicationSettings({ consentDefaults: { serviceReminders: v.serviceReminders, marketing: v.marketing, whatsapp: v.whatsapp } })));
  };
  return (
    <form className="settings-card" aria-labelledby="consent-defaults-title" onSubmit={submit}>
      <h2 id="consent-defaults-title">Default Consent Preferences</h2>
      <p className="card-note">These defaults only apply to new customers created after the change. Existing customers keep their current consent state: changes do not apply retroactively.</p>
      <Toggle label="Work order updates" checked disabled onChange={() => {}} hint="Always on: work order messages are a transactional necessity." />
      <Toggle label="Service & MOT reminders" checked={v.serviceReminders} onChange={(c) => setV({ ...v, serviceReminders: c })} />
      <Toggle label="Offers & promotions" checked={v.marketing} hint="Off by default: GDPR requires explicit opt-in for marketing."
        onChange={(c) => (c ? setConfirming(true) : setV({ ...v, marketing: false }))} />
      <Toggle label="WhatsApp messages" checked={v.whatsapp} onChange={(c) => setV({ ...v, whatsapp: c })} />
      <CardSave state={save} label="Save Changes" />
      <Dialog open={confirming} title="Turn on Offers & promotions for new customers?" onClose={() => setConfirming(false)}>
        <p className="warning-text">{MARKETING_WARNING}</p>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => setConfirming(false)}>Keep it off</button>
          <button type="button" className="btn btn-danger" onClick={() => { setV({ ...v, marketing: true }); setConfirming(false); }}>Turn on</button>
        </div>
      </Dialog>
    </form>
  );
}

/** Reminder delay bounds in hours (spec: "default is 4 hours, valid range 1-48"); the server checks the same. */
const DELAY = { min: 1, max: 48 };

function RemindersCard({ initial, onSaved }: CardProps<'reminders'>) {
  const [enabled, setEnabled] = useState(initial.enabled);
  const [delay, setDelay] = useState(String(initial.delayHours));
  const save = useSave();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const hours = wholeNumberIn(delay, DELAY.min, DELAY.max);
    if (hours === null) {
      save.fail(`Reminder delay: enter a whole number of hours from ${DELAY.min} to ${DELAY.max}.`);
      return;
    }
    void save.run(async () => onSaved(await saveCommunicationSettings({ reminders: { enabled, delayHours: hours } })));
  };
  return (
    <form className="settings-card" aria-labelledby="reminders-title" onSubmit={submit} noValidate>
      <h2 id="reminders-title">Unread message reminders</h2>
      <p className="card-note">When a staff message stays unread for the delay, the customer gets one email, “You have an unread message about your vehicle”, with a portal link.</p>
      <Toggle label="Enable unread message reminders" checked={enabled} onChange={setEnabled} />
      <label className="field">
        <span>Reminder delay (hours)</span>
        <input type="number" inputMode="numeric" min={DELAY.min} max={DELAY.max} step={1} value={delay} onChange={(e) => setDelay(e.target.value)} />
      </label>
      <CardSave state={save} />
    </form>
  );
}

function AiCard({ initial, onSaved }: CardProps<'ai'>) {
  const [v, setV] = useState(initial);
  const save = useSave();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run(async () => onSaved(await saveCommunicationSettings({ ai: v })));
  };
  return (
    <form className="settings-card" aria-labelledby="ai-title" onSubmit={submit}>
      <h2 id="ai-title">AI receptionist</h2>
      <Toggle label="Turn on the AI receptionist" checked={v.enabled} onChange={(c) => setV({ ...v, enabled: c })}
        hint="Also shows the AI Analytics tab to staff who may see it." />
      <label className="field">
        <span>Instructions for the AI receptionist</span>
        <textarea rows={4} maxLength={4000} value={v.instructions} placeholder="We are closed on Sundays. MOTs cost £54.85." onChange={(e) => setV({ ...v, instructions: e.target.value })} />
      </label>
      <label className="field">
        <span>Opening hours</span>
        <textarea rows={2} maxLength={1000} value={v.openingHours} placeholder="Mon–Fri 8:00–17:30, Sat 9:00–12:00" onChange={(e) => setV({ ...v, openingHours: e.target.value })} />
      </label>
      <CardSave state={save} />
    </form>
  );
}

function PortalCard({ initial, onSaved }: CardProps<'portal'>) {
  const [phone, setPhone] = useState(initial.notificationPhone ?? '');
  const [alsoText, setAlsoText] = useState(initial.alsoTextReplies);
  const save = useSave();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = phone.replace(/[\s()-]/g, '');
    if (value && !/^\+[1-9]\d{6,14}$/.test(value)) {
      save.fail('Notification number: enter it in international format, e.g. +447700900123.');
      return;
    }
    void save.run(async () => {
      const saved = await saveCommunicationSettings({ portal: { notificationPhone: value || null, alsoTextReplies: alsoText } });
      setPhone(saved.portal.notificationPhone ?? '');
      onSaved(saved);
    });
  };
  return (
    <form className="settings-card" aria-labelledby="portal-title" onSubmit={submit} noValidate>
      <h2 id="portal-title">Portal</h2>
      <label className="field">
        <span>Notification number for new portal messages</span>
        <input type="tel" value={phone} placeholder="+447700900123" onChange={(e) => setPhone(e.target.value)} />
        <span className="toggle-hint">Gets a short SMS for each new portal message. Leave empty for none.</span>
      </label>
      <Toggle label="Also text portal replies" checked={alsoText} onChange={setAlsoText} hint="A staff reply on the portal also texts the customer the portal link." />
      <CardSave state={save} />
    </form>
  );
}
