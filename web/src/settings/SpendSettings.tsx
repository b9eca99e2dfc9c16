/**
 * Settings › Spend (capability settings.communication.manage): messaging
 * cost per month and channel for the last twelve months, as a stacked bar
 * chart and a table, bridge SMS and WhatsApp templates apart, with a CSV
 * download of the underlying rows.
 */
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fetchSpend, spendCsvUrl, type SpendRow } from './api';
import { SPEND_COLUMNS, spendByMonth } from './spend-table';

const COLOURS: Record<(typeof SPEND_COLUMNS)[number], string> = { SMS: '#2563eb', WhatsApp: '#16a34a', 'Bridge SMS': '#b45309', 'WhatsApp templates': '#7c3aed', Other: '#64748b' };

function lastTwelveMonths(now = new Date()): { from: string; to: string } {
  const to = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const start = new Date(now.getFullYear(), now.getMonth() - 11, 1);
  return { from: `${start.getFullYear()}-${String(start.getMonth() + 1).padStart(2, '0')}`, to };
}

const monthLabel = (m: string) => new Date(`${m}-01T12:00:00Z`).toLocaleDateString('en-GB', { month: 'short', year: '2-digit' });

export function SpendSettings() {
  const [{ from, to }] = useState(lastTwelveMonths);
  const [rows, setRows] = useState<SpendRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { fetchSpend(from, to).then((r) => setRows(r.rows), () => setError('Could not load the spend.')); }, [from, to]);
  if (error) return <p className="error-box" role="alert">{error}</p>;
  if (!rows) return <p className="muted">Loading…</p>;
  const currency = rows[0]?.currency ?? 'GBP';
  const money = (v: number) => v.toLocaleString('en-GB', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const months = spendByMonth(rows.filter((r) => r.currency === currency), from, to);
  const total = months.reduce((a, m) => a + m.Total, 0);
  return (
    <div className="settings-cards">
      <section className="settings-card" aria-labelledby="spend-title">
        <h2 id="spend-title">Messaging spend</h2>
        <p className="card-note">Provider costs of outbound messages, {monthLabel(from)} to {monthLabel(to)}: {money(total)} in all. Bridge SMS and WhatsApp templates are shown apart.</p>
        <div className="spend-chart" role="img" aria-label="Spend per month by channel">
          <ResponsiveContainer width="100%" height={280}>
            <BarChart data={months.map((m) => ({ ...m, label: monthLabel(m.month) }))} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" tick={{ fontSize: 12 }} />
              <YAxis tickFormatter={(v: number) => money(v)} tick={{ fontSize: 12 }} width={70} />
              <Tooltip formatter={(v) => money(Number(v))} />
              <Legend />
              {SPEND_COLUMNS.map((c) => <Bar key={c} dataKey={c} stackId="spend" fill={COLOURS[c]} isAnimationActive={false} />)}
            </BarChart>
          </ResponsiveContainer>
        </div>
        <div className="card-actions"><a className="btn" href={spendCsvUrl(from, to)} download>Download CSV</a></div>
        <div className="table-scroll">
          <table className="settings-table spend-table">
            <thead><tr><th scope="col">Month</th>{SPEND_COLUMNS.map((c) => <th key={c} scope="col" className="num">{c}</th>)}<th scope="col" className="num">Total</th></tr></thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month} data-month={m.month}>
                  <th scope="row">{monthLabel(m.month)}</th>
                  {SPEND_COLUMNS.map((c) => <td key={c} className="num">{money(m[c])}</td>)}
                  <td className="num"><strong>{money(m.Total)}</strong></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
