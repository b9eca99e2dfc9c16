/**
 * Settings > Channels (capability settings.communication.manage): connect
 * the garage's Twilio account (Account SID, Auth Token, optional API key,
 * its number or a Messaging Service) and WhatsApp Cloud API number, and set
 * the email sender. The server checks each with the provider before saving;
 * secrets are write-only (shown as "•••• last 4", left empty to keep), and
 * the webhook addresses to paste into the Twilio Console and Meta's App
 * Dashboard are shown with a Copy button.
 */
import { useEffect, useState, type FormEvent } from 'react';
import {
  checkTwilio, connectTwilio, connectWhatsApp, fetchChannels, saveEmailSender,
  type ChannelsView, type MaskedSecret, type TwilioNumber,
} from './api';
import { CardSave, useSave } from './useSave';

const masked = (s: MaskedSecret | null | undefined) => (s ? `Saved (•••• ${s.last4 || '…'}). Leave empty to keep it.` : undefined);
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());
const orUndefined = (v: string) => (v.trim() === '' ? undefined : v.trim());

export function ChannelsSettings() {
  const [view, setView] = useState<ChannelsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { fetchChannels().then(setView, () => setError('Could not load the channels.')); }, []);
  if (error) return <p className="error-box" role="alert">{error}</p>;
  if (!view) return <p className="muted">Loading…</p>;
  return (
    <div className="settings-cards">
      <TwilioCard view={view} onSaved={setView} />
      <WhatsAppCard view={view} onSaved={setView} />
      <EmailCard view={view} onSaved={setView} />
    </div>
  );
}

type CardProps = { view: ChannelsView; onSaved(v: ChannelsView): void };

function Status({ connected, label }: { connected: boolean; label: string }) {
  return <span className={`template-status ${connected ? 'status-approved' : ''}`}>{connected ? `Connected: ${label}` : 'Not connected'}</span>;
}

function CopyRow({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-row">
      <span className="copy-label">{label}</span>
      <code className="copy-value">{value}</code>
      <button type="button" className="btn btn-small" aria-label={`Copy ${label}`}
        onClick={() => { void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false)); }}>{copied ? 'Copied' : 'Copy'}</button>
    </div>
  );
}

function TwilioCard({ view, onSaved }: CardProps) {
  const t = view.twilio;
  const [accountSid, setAccountSid] = useState(t?.accountSid ?? '');
  const [authToken, setAuthToken] = useState('');
  const [apiKeySid, setApiKeySid] = useState(t?.apiKeySid ?? '');
  const [apiKeySecret, setApiKeySecret] = useState('');
  const [phoneNumber, setPhoneNumber] = useState(t?.phoneNumber ?? '');
  const [messagingServiceSid, setMessagingServiceSid] = useState(t?.messagingServiceSid ?? '');
  const [numbers, setNumbers] = useState<TwilioNumber[] | null>(null);
  const check = useSave();
  const save = useSave();
  const runCheck = () => { save.clear(); void check.run(async () => {
    const found = (await checkTwilio({ accountSid: accountSid.trim(), authToken: orUndefined(authToken) })).numbers;
    setNumbers(found);
    if (!phoneNumber && found[0]) setPhoneNumber(found[0].phoneNumber);
  }); };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    check.clear();
    if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid.trim())) return save.fail('Account SID: AC followed by 32 characters, from the Twilio Console.');
    if (!t && !authToken.trim()) return save.fail('Auth Token: enter the Auth Token of this account.');
    if (!phoneNumber.trim() && !messagingServiceSid.trim()) return save.fail('Choose the garage\'s Twilio number or enter a Messaging Service SID.');
    void save.run(async () => {
      const saved = await connectTwilio({
        accountSid: accountSid.trim(), authToken: orUndefined(authToken), apiKeySid: orNull(apiKeySid), apiKeySecret: orUndefined(apiKeySecret),
        phoneNumber: orNull(phoneNumber), messagingServiceSid: orNull(messagingServiceSid),
      });
      setAuthToken('');
      setApiKeySecret('');
      onSaved(saved);
    });
  };
  return (
    <form className="settings-card" aria-labelledby="twilio-title" onSubmit={submit} noValidate>
      <h2 id="twilio-title">Twilio (SMS and calls) <Status connected={Boolean(t)} label={t?.phoneNumber ?? t?.messagingServiceSid ?? ''} /></h2>
      <p className="card-note">From the Twilio Console: Account Info on the home page, API keys under Admin › Account management. The Auth Token is always needed: it also checks that webhooks really come from Twilio. With an API key, messages are sent with the key.</p>
      <label className="field"><span>Account SID</span>
        <input value={accountSid} autoComplete="off" spellCheck={false} placeholder="AC…" onChange={(e) => setAccountSid(e.target.value)} /></label>
      <label className="field"><span>Auth Token</span>
        <input type="password" value={authToken} autoComplete="new-password" placeholder={t ? '••••••••' : ''} onChange={(e) => setAuthToken(e.target.value)} />
        {t && <span className="toggle-hint">{masked(t.authToken)}</span>}</label>
      <div className="field-row">
        <label className="field"><span>API Key SID (optional)</span>
          <input value={apiKeySid} autoComplete="off" spellCheck={false} placeholder="SK…" onChange={(e) => setApiKeySid(e.target.value)} /></label>
        <label className="field"><span>API Key Secret</span>
          <input type="password" value={apiKeySecret} autoComplete="new-password" onChange={(e) => setApiKeySecret(e.target.value)} />
          {t?.apiKeySecret && <span className="toggle-hint">{masked(t.apiKeySecret)}</span>}</label>
      </div>
      <div className="card-actions">
        <button type="button" className="btn" disabled={check.saving} onClick={runCheck}>{check.saving ? 'Checking…' : 'Check and list numbers'}</button>
        {check.error && <p className="field-error" role="alert">{check.error}</p>}
        {numbers && !check.error && <p className="save-ok" role="status">{numbers.length === 1 ? '1 number found' : `${numbers.length} numbers found`}</p>}
      </div>
      <div className="field-row">
        <label className="field"><span>Garage number</span>
          {numbers && numbers.length > 0
            ? <select value={phoneNumber} onChange={(e) => setPhoneNumber(e.target.value)}>
                <option value="">None (Messaging Service only)</option>
                {numbers.map((n) => <option key={n.phoneNumber} value={n.phoneNumber}>{n.phoneNumber}{n.friendlyName !== n.phoneNumber ? ` (${n.friendlyName})` : ''}</option>)}
              </select>
            : <input type="tel" value={phoneNumber} placeholder="+447700900123" onChange={(e) => setPhoneNumber(e.target.value)} />}
        </label>
        <label className="field"><span>Messaging Service SID (optional)</span>
          <input value={messagingServiceSid} autoComplete="off" spellCheck={false} placeholder="MG…" onChange={(e) => setMessagingServiceSid(e.target.value)} /></label>
      </div>
      <div className="copy-list" aria-label="Twilio webhook addresses">
        <p className="card-note">In the Twilio Console, on the number's configuration page, set "A message comes in" and "A call comes in" to these (HTTP POST):</p>
        <CopyRow label="Messaging webhook" value={view.webhooks.twilioSms} />
        <CopyRow label="Voice webhook" value={view.webhooks.twilioVoice} />
      </div>
      <CardSave state={save} label="Verify and save" busyLabel="Checking with Twilio…" />
    </form>
  );
}

function WhatsAppCard({ view, onSaved }: CardProps) {
  const w = view.whatsapp;
  const [phoneNumberId, setPhoneNumberId] = useState(w?.phoneNumberId ?? '');
  const [wabaId, setWabaId] = useState(w?.wabaId ?? '');
  const [accessToken, setAccessToken] = useState('');
  const save = useSave();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{5,20}$/.test(phoneNumberId.trim())) return save.fail('Phone number ID: the digits shown in WhatsApp Manager › Phone numbers.');
    if (!/^\d{5,20}$/.test(wabaId.trim())) return save.fail('WhatsApp Business Account ID: digits.');
    if (!w && !accessToken.trim()) return save.fail('Access token: enter a System User access token.');
    void save.run(async () => {
      const saved = await connectWhatsApp({ phoneNumberId: phoneNumberId.trim(), wabaId: wabaId.trim(), accessToken: orUndefined(accessToken) });
      setAccessToken('');
      onSaved(saved);
    });
  };
  return (
    <form className="settings-card" aria-labelledby="whatsapp-title" onSubmit={submit} noValidate>
      <h2 id="whatsapp-title">WhatsApp Cloud API <Status connected={Boolean(w)} label={w?.displayNumber ?? w?.phoneNumberId ?? ''} /></h2>
      <p className="card-note">From Meta's App Dashboard › WhatsApp › API Setup. Use a System User token with the whatsapp_business_messaging and whatsapp_business_management permissions.</p>
      <div className="field-row">
        <label className="field"><span>Phone number ID</span>
          <input value={phoneNumberId} inputMode="numeric" autoComplete="off" onChange={(e) => setPhoneNumberId(e.target.value)} /></label>
        <label className="field"><span>WhatsApp Business Account ID</span>
          <input value={wabaId} inputMode="numeric" autoComplete="off" onChange={(e) => setWabaId(e.target.value)} /></label>
      </div>
      <label className="field"><span>Access token</span>
        <input type="password" value={accessToken} autoComplete="new-password" placeholder={w ? '••••••••' : ''} onChange={(e) => setAccessToken(e.target.value)} />
        {w && <span className="toggle-hint">{masked(w.accessToken)}</span>}</label>
      <div className="copy-list" aria-label="WhatsApp webhook">
        <p className="card-note">In the App Dashboard › WhatsApp › Configuration, set the callback URL and verify token, then subscribe to "messages" and "message_template_status_update":</p>
        <CopyRow label="Callback URL" value={view.webhooks.whatsapp} />
        <CopyRow label="Verify token" value={view.webhooks.whatsappVerifyToken} />
      </div>
      <CardSave state={save} label="Verify and save" busyLabel="Checking with Meta…" />
    </form>
  );
}

function EmailCard({ view, onSaved }: CardProps) {
  const [fromAddress, setFromAddress] = useState(view.email?.fromAddress ?? '');
  const save = useSave();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fromAddress.trim())) return save.fail('Sender email address: e.g. service@yourgarage.co.uk.');
    void save.run(async () => onSaved(await saveEmailSender(fromAddress.trim())));
  };
  return (
    <form className="settings-card" aria-labelledby="email-title" onSubmit={submit} noValidate>
      <h2 id="email-title">Email <Status connected={Boolean(view.email)} label={view.email?.fromAddress ?? ''} /></h2>
      <p className="card-note">Emails go through this server's mail server (SMTP_URL); it must be allowed to send as this address.</p>
      <label className="field"><span>Sender email address</span>
        <input type="email" value={fromAddress} placeholder="service@yourgarage.co.uk" onChange={(e) => setFromAddress(e.target.value)} /></label>
      <CardSave state={save} />
    </form>
  );
}
