/**
 * "Verify WhatsApp number" on the customer profile (capability
 * customers.consent.manage): send a one-time code (a WhatsApp authentication
 * template, or SMS where the garage cannot send one), then type the code the
 * customer reads out — or the customer types it in the portal. A correct code
 * turns WhatsApp consent on with source "WhatsApp verification"; 5 wrong
 * codes lock it (a new code is needed). Limits live on the server.
 */
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { checkVerification, fetchVerification, resendVerification, sendVerification, type Verification } from '../api/verification';
import { dateTime } from './format';

const CHANNEL = { whatsapp: 'WhatsApp', sms: 'SMS' } as const;

function statusLine(v: Verification): string {
  switch (v.status) {
    case 'pending': return `Code sent by ${CHANNEL[v.channel]}; it expires at ${dateTime(v.expiresAt)}. ${v.attemptsLeft} ${v.attemptsLeft === 1 ? 'try' : 'tries'} left.`;
    case 'verified': return `WhatsApp number verified ${v.verifiedAt ? dateTime(v.verifiedAt) : ''}.`.replace(' .', '.');
    case 'locked': return 'Locked: too many wrong codes. Send a new code to try again.';
    case 'expired': return 'The code has expired. Send a new code.';
    case 'cancelled': return 'The last code could not be sent or was replaced. Send a new code.';
  }
}

export function WhatsAppVerificationCard({ customerId }: { customerId: string }) {
  const client = useQueryClient();
  const key = ['customers', customerId, 'whatsapp-verification'];
  const current = useQuery({ queryKey: key, queryFn: ({ signal }) => fetchVerification(customerId, signal) });
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<Verification>) => {
    setBusy(true);
    setError(null);
    try {
      client.setQueryData(key, await action());
      setCode('');
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Something went wrong.');
    } finally {
      setBusy(false);
      // The consent card shows the new WhatsApp consent; a wrong code changed the tries left.
      await client.invalidateQueries({ queryKey: ['customers', customerId] });
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(() => checkVerification(customerId, code));
  };

  const v = current.data ?? null;
  const pending = v?.status === 'pending';
  return (
    <section className="card verification-card" aria-labelledby="verification-title">
      <h2 id="verification-title" className="section-title">WhatsApp verification</h2>
      <p className="verification-status" role="status">{v ? statusLine(v) : 'Ask the customer to confirm their WhatsApp number with a one-time code.'}</p>
      {pending ? (
        <form className="verification-form" onSubmit={submit}>
          <label htmlFor="verification-code">Code from the customer</label>
          <input id="verification-code" inputMode="numeric" autoComplete="one-time-code" maxLength={9} value={code} onChange={(e) => setCode(e.target.value)} />
          <button type="submit" className="btn btn-primary" disabled={busy || code.trim() === ''}>Check code</button>
          <button type="button" className="btn" disabled={busy || v.sendsLeft === 0} onClick={() => void run(() => resendVerification(customerId))}>Send again</button>
        </form>
      ) : (
        <button type="button" className="btn" disabled={busy || current.isLoading} onClick={() => void run(() => sendVerification(customerId))}>
          {v ? 'Send a new code' : 'Send verification code'}
        </button>
      )}
      {error ? <p className="error-box" role="alert">{error}</p> : null}
    </section>
  );
}
