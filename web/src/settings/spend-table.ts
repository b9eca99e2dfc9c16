/**
 * The Spend page's month × column table from the API's rows (pure): one
 * column per channel for ordinary messages, bridge SMS and WhatsApp
 * templates apart (spec: bridge SMS cost "appears in your communications
 * spend reports"; templates are "paid per-notification separately"), in
 * one currency; amounts summed as exact micro-units.
 */
import type { SpendRow } from './api';

export const SPEND_COLUMNS = ['SMS', 'WhatsApp', 'Bridge SMS', 'WhatsApp templates', 'Other'] as const;
export type SpendColumn = (typeof SPEND_COLUMNS)[number];
export type SpendMonth = { month: string } & Record<SpendColumn | 'Total', number>;

export function spendColumn(r: Pick<SpendRow, 'channel' | 'kind'>): SpendColumn {
  if (r.kind === 'bridge') return 'Bridge SMS';
  if (r.kind === 'template') return 'WhatsApp templates';
  if (r.channel === 'sms') return 'SMS';
  if (r.channel === 'whatsapp') return 'WhatsApp';
  return 'Other';
}

const micros = (amount: string) => {
  const [w, f = ''] = amount.split('.');
  return Number(w) * 1_000_000 + Number(f.slice(0, 6).padEnd(6, '0'));
};

/** Every month from `from` to `to` (YYYY-MM, inclusive), each column in major units (rounded to 1/1,000,000). */
export function spendByMonth(rows: SpendRow[], from: string, to: string): SpendMonth[] {
  const months: string[] = [];
  for (let [y, m] = from.split('-').map(Number) as [number, number]; `${y}-${String(m).padStart(2, '0')}` <= to; m === 12 ? (y++, m = 1) : m++) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
  }
  return months.map((month) => {
    const sums = Object.fromEntries([...SPEND_COLUMNS, 'Total'].map((c) => [c, 0])) as Record<SpendColumn | 'Total', number>;
    for (const r of rows.filter((x) => x.month === month)) {
      const v = micros(r.amount);
      sums[spendColumn(r)] += v;
      sums.Total += v;
    }
    return { month, ...Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / 1_000_000])) } as SpendMonth;
  });
}
