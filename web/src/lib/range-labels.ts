/** Names of the date-range presets and read filters, and the "Showing: …" line. Pure. */
import { DATE_PRESET_LABELS } from '../../../src/domain/date-range.js';
import { MONTHS } from './time.js';

/** The preset labels exactly as the spec words them: the server's own table (src/domain/date-range.ts). */
export const RANGE_LABELS = DATE_PRESET_LABELS;

export const FILTER_LABELS = { all: 'All', unread: 'Unread', unassigned: 'Unassigned', mine: 'Mine' } as const;

/** `2026-11-03` → `3 Nov 2026` (no time zone involved: a calendar date). */
export function formatDay(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1] ?? ''} ${y}`;
}

/** What the "Showing: …" microcopy names. */
export function rangeLabel(range: keyof typeof RANGE_LABELS, start: string | null, end: string | null): string {
  if (range === 'custom') return start && end ? `${formatDay(start)} – ${formatDay(end)}` : 'Custom range';
  return RANGE_LABELS[range];
}

export function showingLine(o: { q: string; range: keyof typeof RANGE_LABELS; start: string | null; end: string | null }): string {
  if (o.q.trim()) return `Showing: search results across all time`;
  return `Showing: ${rangeLabel(o.range, o.start, o.end)}`;
}
