/**
 * The profile's actions card: "Send portal invite" (a fresh magic link by
 * SMS or e-mail, through the send rules; needs messages.send and a phone or
 * e-mail on file) and "Download data (SAR export)" (the Subject Access
 * Request zip; needs customers.export). Shown only when the role has one of them.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { sarExportUrl, sendPortalInvite, type CustomerProfile } from '../api/customers';

export function CustomerActions({ customer, canInvite, canExport }: { customer: CustomerProfile; canInvite: boolean; canExport: boolean }) {
  const client = useQueryClient();
  const channels = [...(customer.hasPhone ? (['sms'] as const) : []), ...(customer.hasEmail ? (['email'] as const) : [])];
  const [channel, setChannel] = useState<'sms' | 'email'>(channels[0] ?? 'sms');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  if (!canInvite && !canExport) return null;

  const invite = async () => {
    setBusy(true);
    setStatus(null);
    try {
      await sendPortalInvite(customer.id, channel);
      setStatus({ ok: true, text: `Portal invite sent by ${channel === 'sms' ? 'SMS' : 'e-mail'}.` });
      await client.invalidateQueries({ queryKey: ['customers', customer.id] });
    } catch (e) {
      setStatus({ ok: false, text: e instanceof Error ? e.message : 'Could not send the invite.' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card customer-actions" aria-labelledby="customer-actions-title">
      <h2 id="customer-actions-title" className="section-title">Portal and data</h2>
      {canInvite ? (
        channels.length ? (
          <div className="invite-row">
            {channels.length > 1 ? (
              <label>Send by{' '}
                <select value={channel} onChange={(e) => setChannel(e.target.value as 'sms' | 'email')}>
                  <option value="sms">SMS</option>
                  <option value="email">E-mail</option>
                </select>
              </label>
            ) : null}
            <button type="button" className="btn" onClick={() => void invite()} disabled={busy}>
              Send portal invite{channels.length === 1 ? ` by ${channel === 'sms' ? 'SMS' : 'e-mail'}` : ''}
            </button>
          </div>
        ) : <p className="muted">Add a phone number or e-mail address to send a portal invite.</p>
      ) : null}
      {status ? <p className={status.ok ? 'success-box' : 'error-box'} role={status.ok ? 'status' : 'alert'}>{status.text}</p> : null}
      {canExport ? (
        <p>
          <a className="btn" href={sarExportUrl(customer.id)} download>Download data (SAR export)</a>
          <span className="muted export-note"> One zip with everything held about this customer and the UK GDPR cover page; each download is audited.</span>
        </p>
      ) : null}
    </section>
  );
}
