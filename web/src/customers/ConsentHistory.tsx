/**
 * The consent history (every audit entry, newest first) and "Consent at a
 * date and time": the state the server replays from the audit log for the
 * chosen instant, typed dd/mm/yyyy hh:mm[:ss] (local time of the browser).
 */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { fetchConsentHistory, type ConsentCategory } from '../api/customers';
import { CATEGORY_LABELS } from './ConsentCard';
import { dateTime } from './format';
import { parseUkDateTime } from '../lib/uk-date';

const label = (category: string) => CATEGORY_LABELS[category as ConsentCategory] ?? (category === 'sms' ? 'SMS (STOP / START)' : category);

export function ConsentHistory({ customerId }: { customerId: string }) {
  const [typed, setTyped] = useState('');
  const instant = parseUkDateTime(typed);
  const at = instant ? new Date(instant).toISOString() : null;
  const history = useQuery({ queryKey: ['customers', customerId, 'consent-history', at], queryFn: ({ signal }) => fetchConsentHistory(customerId, at, signal) });
  const entries = history.data?.entries ?? [];
  return (
    <section className="card consent-history" aria-labelledby="history-title">
      <h2 id="history-title" className="section-title">Consent history</h2>
      <div className="state-at">
        <label className="field"><span>Consent at a date and time</span>
          <input type="text" inputMode="numeric" placeholder="dd/mm/yyyy hh:mm" autoComplete="off" value={typed}
            aria-invalid={(typed.trim() !== '' && !instant) || undefined} onChange={(e) => setTyped(e.target.value)} />
        </label>
        {history.data?.stateAt ? (
          <ul className="state-at-rows" aria-label="Consent at the chosen time">
            {history.data.stateAt.map((s) => (
              <li key={s.category} data-category={s.category}>
                <span>{label(s.category)}</span>{' '}
                <strong>{s.granted === null ? 'No record yet' : s.granted ? 'Granted' : 'Not granted'}</strong>
                {s.sourceLabel && s.since ? <span className="muted"> ({s.sourceLabel}, {dateTime(s.since)})</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <table className="history-table">
        <thead><tr><th>When</th><th>Category</th><th>Change</th><th>Source</th><th>By</th></tr></thead>
        <tbody>
          {[...entries].reverse().map((e) => (
            <tr key={e.id}>
              <td><time dateTime={e.at}>{dateTime(e.at)}</time></td>
              <td>{label(e.category)}</td>
              <td>{e.action === 'granted' ? 'Granted' : 'Revoked'}</td>
              <td>{e.sourceLabel}</td>
              <td>{e.performedBy ?? (e.ipAddress ? `IP ${e.ipAddress}` : '—')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
