/**
 * The inbox's address: which tab (path), date range, read filter, search and
 * open conversation (query), so a view can be bookmarked or shared
 * (messaging-inbox.txt: "The URL updates with the range and filter
 * parameters", "?conversation={id}"). Pure: no DOM, unit-tested.
 */

import { DATE_PRESETS, DEFAULT_DATE_PRESET } from '../../../src/domain/date-range.js';
import type { RangePreset, ReadFilter } from '../api/types.js';

export type Tab = 'inbox' | 'approvals' | 'analytics';

/** The presets in the order the row shows them, and the default: the server's own (src/domain/date-range.ts). */
export const RANGE_PRESETS: readonly RangePreset[] = DATE_PRESETS;
export const READ_FILTERS: readonly ReadFilter[] = ['all', 'unread', 'unassigned', 'mine'];
const DEFAULT_RANGE: RangePreset = DEFAULT_DATE_PRESET;

export type InboxUrlState = {
  tab: Tab;
  /** null: not in the address (use the remembered preset or the default) */
  range: RangePreset | null;
  start: string | null;
  end: string | null;
  filter: ReadFilter;
  q: string;
  conversation: string | null;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BASE = '/messages';

export function isRangePreset(v: unknown): v is RangePreset {
  return typeof v === 'string' && (RANGE_PRESETS as readonly string[]).includes(v);
}

export function isDate(v: unknown): v is string {
  return typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
}

export function parseInboxUrl(pathname: string, search: string): InboxUrlState {
  const p = new URLSearchParams(search);
  const sub = pathname.replace(/\/+$/, '').slice(BASE.length).replace(/^\//, '');
  const tab: Tab = sub === 'approvals' ? 'approvals' : sub === 'analytics' ? 'analytics' : 'inbox';
  const rawRange = p.get('range');
  const rawFilter = p.get('filter');
  const start = isDate(p.get('start')) ? p.get('start') : null;
  const end = isDate(p.get('end')) ? p.get('end') : null;
  let range: RangePreset | null = isRangePreset(rawRange) ? rawRange : null;
  // A custom range without both dates is not a range yet.
  if (range === 'custom' && !(start && end)) range = null;
  return {
    tab,
    range,
    start: range === 'custom' ? start : null,
    end: range === 'custom' ? end : null,
    filter: (READ_FILTERS as readonly string[]).includes(rawFilter ?? '') ? (rawFilter as ReadFilter) : 'all',
    q: p.get('q') ?? '',
    conversation: p.get('conversation') || null,
  };
}

/** The address of `state`: path for the tab, then range, start, end, filter, q, conversation (defaults left out). */
export function inboxUrl(state: InboxUrlState): string {
  const path = state.tab === 'inbox' ? BASE : `${BASE}/${state.tab}`;
  const p = new URLSearchParams();
  if (state.tab === 'inbox') {
    if (state.range) p.set('range', state.range);
    if (state.range === 'custom' && state.start && state.end) {
      p.set('start', state.start);
      p.set('end', state.end);
    }
    if (state.filter !== 'all') p.set('filter', state.filter);
    if (state.q.trim()) p.set('q', state.q);
    if (state.conversation) p.set('conversation', state.conversation);
  }
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * The range to show: the address wins, then the preset remembered in the
 * browser, then Last 30 days. A remembered Custom… needs its remembered dates.
 */
export function initialRange(
  fromUrl: Pick<InboxUrlState, 'range' | 'start' | 'end'>,
  remembered: { preset: string | null; custom: { start: string; end: string } | null },
): { range: RangePreset; start: string | null; end: string | null } {
  if (fromUrl.range) return { range: fromUrl.range, start: fromUrl.start, end: fromUrl.end };
  if (isRangePreset(remembered.preset)) {
    if (remembered.preset !== 'custom') return { range: remembered.preset, start: null, end: null };
    if (remembered.custom && isDate(remembered.custom.start) && isDate(remembered.custom.end)) {
      return { range: 'custom', start: remembered.custom.start, end: remembered.custom.end };
    }
  }
  return { range: DEFAULT_RANGE, start: null, end: null };
}
