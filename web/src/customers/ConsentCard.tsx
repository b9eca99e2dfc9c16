/**
 * The Communication Preferences card (spec: whatsapp-consent.txt): each
 * category's status, the source of the last change in words and its time.
 * Toggles are editable only with customers.consent.manage (a change is
 * recorded with source staff_entry and the signed-in user); read-only otherwise.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { setConsent, type ConsentCategory, type ConsentRow } from '../api/customers';
import { dateTime } from './format';

export const CATEGORY_LABELS: Record<ConsentCategory, string> = {
  transactional: 'Work order updates',
  service_reminders: 'Service & MOT reminders',
  marketing: 'Offers & promotions',
  whatsapp: 'WhatsApp messages',
};

export function ConsentCard({ customerId, consents, canManage }: { customerId: string; consents: ConsentRow[]; canManage: boolean }) {
  const client = useQueryClient();
  const [busy, setBusy] = useState<ConsentCategory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const toggle = async (row: ConsentRow) => {
    setBusy(row.category);
    setError(null);
    try {
      await setConsent(customerId, row.category, !row.granted);
      await client.invalidateQueries({ queryKey: ['customers', customerId] });
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not change consent.');
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="card consent-card" aria-labelledby="consent-title">
      <h2 id="consent-title" className="section-title">Communication Preferences</h2>
      {canManage ? null : <p className="muted">Read-only: changing consent needs the customers.consent.manage permission.</p>}
      <ul className="consent-rows">
        {consents.map((row) => (
          <li key={row.category} data-category={row.category}>
            <label className="consent-toggle">
              <input type="checkbox" role="switch" checked={row.granted} disabled={!canManage || busy !== null} onChange={() => void toggle(row)} />
              <span className="consent-label">{CATEGORY_LABELS[row.category]}</span>
              <span className={`pill ${row.granted ? 'pill-ok' : 'pill-off'}`}>{row.granted ? 'Granted' : 'Not granted'}</span>
            </label>
            <p className="consent-source">
              <span className="source">{row.sourceLabel}</span>
              {row.performedBy ? <> · {row.performedBy}</> : null}
              {row.updatedAt ? <> · <time dateTime={row.updatedAt}>{dateTime(row.updatedAt)}</time></> : null}
            </p>
          </li>
        ))}
      </ul>
      {error ? <p className="error-box" role="alert">{error}</p> : null}
    </section>
  );
}
