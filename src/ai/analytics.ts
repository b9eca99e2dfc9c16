/**
 * The AI Analytics tab's figures for a date range (spec: messaging-inbox.txt
 * "If AI is enabled for your organisation, you also see AI Analytics";
 * issue 15): AI replies, conversations resolved without staff, handoffs by
 * reason, credits used and left, reply latency p50/p95 per channel
 * (customer message received → AI reply sent, or queued when not yet sent),
 * and replies and handoffs per day (organisation time zone) for the chart.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import type { DateRange } from '../domain/date-range.js';
import { creditBalance, ensureMonthlyAllowance, type CreditSettings } from './credits.js';

export type AiAnalytics = {
  replies: number;
  resolvedWithoutStaff: number;
  handoffs: { reason: string; count: number }[];
  credits: { used: number; left: number };
  latency: { channel: string; replies: number; p50Ms: number; p95Ms: number }[];
  daily: { day: string; replies: number; handoffs: number }[];
};

export async function aiAnalytics(trx: TenantTx, orgId: string, range: DateRange, timeZone: string, credit: CreditSettings, now: Date): Promise<AiAnalytics> {
  const from = range.from ?? new Date(0);
  const to = range.to ?? new Date(8.64e15);
  const inRange = sql`r.org_id = ${orgId} AND r.created_at >= ${from} AND r.created_at < ${to}`;
  const totals = await sql<{ replies: number; resolved: number; used: string }>`
    SELECT count(*) FILTER (WHERE r.reply_message_id IS NOT NULL AND r.action IN ('reply', 'canned'))::int AS replies,
      count(DISTINCT r.conversation_id) FILTER (WHERE r.reply_message_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM messages s WHERE s.org_id = r.org_id AND s.conversation_id = r.conversation_id AND s.direction = 'outbound'
          AND NOT s.ai_generated AND s.metadata->>'senderType' IN ('staff', 'integration') AND s.created_at >= ${from} AND s.created_at < ${to})
        AND NOT EXISTS (SELECT 1 FROM ai_replies h WHERE h.org_id = r.org_id AND h.conversation_id = r.conversation_id AND h.action = 'handoff'
          AND h.created_at >= ${from} AND h.created_at < ${to}))::int AS resolved,
      coalesce(sum(r.credits), 0)::text AS used
    FROM ai_replies r WHERE ${inRange}
  `.execute(trx);
  const handoffs = await sql<{ reason: string; count: number }>`
    SELECT r.handoff_reason AS reason, count(*)::int AS count FROM ai_replies r
    WHERE ${inRange} AND r.action = 'handoff' GROUP BY 1 ORDER BY 2 DESC, 1
  `.execute(trx);
  const latency = await sql<{ channel: string; replies: number; p50: number; p95: number }>`
    SELECT r.channel, count(*)::int AS replies,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM coalesce(m.sent_at, r.created_at) - r.inbound_at) * 1000)::float8 AS p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM coalesce(m.sent_at, r.created_at) - r.inbound_at) * 1000)::float8 AS p95
    FROM ai_replies r JOIN messages m ON m.org_id = r.org_id AND m.id = r.reply_message_id
    WHERE ${inRange} GROUP BY 1 ORDER BY 1
  `.execute(trx);
  const daily = await sql<{ day: string; replies: number; handoffs: number }>`
    SELECT to_char(r.created_at AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day,
      count(*) FILTER (WHERE r.reply_message_id IS NOT NULL AND r.action IN ('reply', 'canned'))::int AS replies,
      count(*) FILTER (WHERE r.action = 'handoff')::int AS handoffs
    FROM ai_replies r WHERE ${inRange} GROUP BY 1 ORDER BY 1
  `.execute(trx);
  await ensureMonthlyAllowance(trx, orgId, credit, now);
  const t = totals.rows[0]!;
  return {
    replies: t.replies,
    resolvedWithoutStaff: t.resolved,
    handoffs: handoffs.rows,
    credits: { used: Number(t.used), left: await creditBalance(trx, orgId) },
    latency: latency.rows.map((l) => ({ channel: l.channel, replies: l.replies, p50Ms: Math.round(l.p50), p95Ms: Math.round(l.p95) })),
    daily: daily.rows,
  };
}
