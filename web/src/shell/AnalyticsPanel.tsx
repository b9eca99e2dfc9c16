/** AI Analytics: what the AI receptionist did in a date range — replies, conversations resolved without staff, handoffs by reason, credits, reply latency per channel, and a chart per day. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { request } from '../api/client';

type Analytics = {
  replies: number;
  resolvedWithoutStaff: number;
  handoffs: { reason: string; count: number }[];
  credits: { used: number; left: number };
  latency: { channel: string; replies: number; p50Ms: number; p95Ms: number }[];
  daily: { day: string; replies: number; handoffs: number }[];
};

// The charts library loads with the first chart, not with the app.
const AnalyticsChart = lazy(() => import('../ai/AnalyticsChart').then((m) => ({ default: m.AnalyticsChart })));

const RANGES = [['today', 'Today'], ['this_week', 'This week'], ['this_month', 'This month'], ['last_30_days', 'Last 30 days'], ['all_time', 'All time']] as const;
const REASONS: Record<string, string> = { customer_asked: 'Customer asked for a person', complaint: 'Complaint', unsure: 'AI unsure', ai_error: 'AI unavailable' };
const CHANNELS: Record<string, string> = { whatsapp: 'WhatsApp', sms: 'SMS', portal: 'Portal', email: 'Email' };

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function AnalyticsPanel() {
  const [range, setRange] = useState<string>('last_30_days');
  const [data, setData] = useState<Analytics | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    request<Analytics>('GET', `/v1/ai/analytics?range=${range}`, undefined, ctl.signal).then(setData, (e: Error) => { if (!ctl.signal.aborted) setError(e.message); });
    return () => ctl.abort();
  }, [range]);
  return (
    <section className="placeholder-panel ai-analytics" aria-labelledby="analytics-title">
      <h2 id="analytics-title" className="section-title">AI Analytics</h2>
      <label>Date range{' '}
        <select value={range} onChange={(e) => setRange(e.target.value)}>
          {RANGES.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </label>
      {error ? <p className="error-box" role="alert">{error}</p> : null}
      {data ? (
        <>
          <div className="figures">
            <div className="figure" data-figure="replies"><strong>{data.replies}</strong>AI replies</div>
            <div className="figure" data-figure="resolved"><strong>{data.resolvedWithoutStaff}</strong>Resolved without staff</div>
            <div className="figure" data-figure="handoffs"><strong>{data.handoffs.reduce((n, h) => n + h.count, 0)}</strong>Handoffs</div>
            <div className="figure" data-figure="credits-used"><strong>{data.credits.used.toFixed(2)}</strong>Credits used</div>
            <div className="figure" data-figure="credits-left"><strong>{data.credits.left.toFixed(2)}</strong>Credits left</div>
          </div>
          <h3>Replies and handoffs per day</h3>
          <Suspense fallback={<div className="chart" />}><AnalyticsChart daily={data.daily} /></Suspense>
          <h3>Reply latency (customer message → AI reply sent)</h3>
          <table>
            <thead><tr><th>Channel</th><th>Replies</th><th>p50</th><th>p95</th></tr></thead>
            <tbody>
              {data.latency.length ? data.latency.map((l) => <tr key={l.channel}><td>{CHANNELS[l.channel] ?? l.channel}</td><td>{l.replies}</td><td>{seconds(l.p50Ms)}</td><td>{seconds(l.p95Ms)}</td></tr>)
                : <tr><td colSpan={4} className="muted">No AI replies in this range.</td></tr>}
            </tbody>
          </table>
          <h3>Handoffs by reason</h3>
          <table>
            <tbody>
              {data.handoffs.length ? data.handoffs.map((h) => <tr key={h.reason}><td>{REASONS[h.reason] ?? h.reason}</td><td>{h.count}</td></tr>)
                : <tr><td className="muted">No handoffs in this range.</td></tr>}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
