/**
 * The inbox date-range presets (spec: messaging-inbox.txt, conversation list
 * "A date range row with six options: All time, Today, This week, This month,
 * Last 30 days, Custom…", "The inbox defaults to Last 30 days", "Pick Custom…
 * to open an inline date range picker. Choose start and end dates"; issue 5
 * item 2: "computed in the organisation's time zone (default Europe/London,
 * weeks start Monday, daylight-saving changes handled)").
 *
 * A preset becomes a half-open interval of instants [from, to) in UTC; null
 * means unbounded on that side. Calendar days, weeks and months are those of
 * the organisation's wall clock, so a day is 23 or 25 hours long when the
 * clocks change. Which conversations fall in the range ("any activity": any
 * message, status change or note inside it) is the query's job, not this rule's.
 *
 * No date library: wall-clock parts come from Intl.DateTimeFormat.
 */

export type DatePreset = 'all_time' | 'today' | 'this_week' | 'this_month' | 'last_30_days' | 'custom';

/** Every preset, in the order the spec's date range row shows them. */
export const DATE_PRESETS: readonly DatePreset[] = ['all_time', 'today', 'this_week', 'this_month', 'last_30_days', 'custom'];

/** The inbox opens on Last 30 days (spec: "The inbox defaults to Last 30 days"). */
export const DEFAULT_DATE_PRESET: DatePreset = 'last_30_days';

/** The organisation time zone when none is configured (issue 5 item 2). */
export const DEFAULT_TIME_ZONE = 'Europe/London';

/** The labels exactly as the spec's date range row and "Showing: [preset label]" use them (note "Custom…" ends in U+2026, not three dots). */
export const DATE_PRESET_LABELS: Readonly<Record<DatePreset, string>> = {
  all_time: 'All time',
  today: 'Today',
  this_week: 'This week',
  this_month: 'This month',
  last_30_days: 'Last 30 days',
  custom: 'Custom…',
};

/** Number of calendar days Last 30 days covers, today included. */
export const LAST_N_DAYS = 30;

export type CustomDates = {
  /** First day, YYYY-MM-DD, in the organisation's calendar. */
  start: string;
  /** Last day, YYYY-MM-DD, inclusive. */
  end: string;
};

export type DateRangeInput = {
  preset: DatePreset;
  now: Date;
  /** IANA time zone name of the organisation, e.g. 'Europe/London' (anything Intl.DateTimeFormat accepts). */
  timeZone: string;
  /** Required for 'custom'; ignored by every other preset. */
  custom?: CustomDates;
};

/** Half-open interval [from, to) of instants; null means unbounded. */
export type DateRange = { from: Date | null; to: Date | null };

/** Thrown by dateRange for input it cannot turn into a range; the API answers these with a 400. */
export class DateRangeError extends Error {
  override name = 'DateRangeError';
}

/**
 * The interval of instants a preset covers at `now`, in `timeZone`:
 * - all_time: { from: null, to: null };
 * - today: [local midnight today, local midnight tomorrow);
 * - this_week: [Monday 00:00 of the current week, the next Monday 00:00) —
 *   the whole calendar week, Monday to Sunday, so `to` is in the future
 *   (nothing can have happened there yet, and the range stays one stable
 *   calendar unit, the same shape as a past week);
 * - this_month: [the 1st 00:00, the 1st of next month 00:00), whole month likewise;
 * - last_30_days: the last 30 calendar days including today:
 *   [local midnight 29 days before today, local midnight tomorrow). Calendar
 *   days rather than now − 30 × 24 h, so the range starts at a midnight like
 *   every other preset and does not shift as the day goes on;
 * - custom: [start 00:00, the day after end 00:00); start = end is one day.
 *
 * "00:00" means the first instant at or after local midnight: where the
 * clocks jump over midnight (e.g. America/Sao_Paulo 2018-11-04, Asia/Beirut
 * in spring) the day starts when they land; where midnight happens twice
 * (e.g. America/Havana in autumn) the day starts at the first. A calendar
 * day a zone skipped entirely (Pacific/Apia 2011-12-30) is an empty range.
 *
 * @throws DateRangeError when `now` is an invalid Date, `timeZone` is not a
 *   time zone Intl knows, the preset is unknown, or for 'custom': `custom` or
 *   either date is missing, a date is not YYYY-MM-DD, a date does not exist
 *   (2026-02-30, 2026-13-01, year 0000), or start is after end.
 */
export function dateRange(input: DateRangeInput): DateRange {
  const { preset, now, timeZone } = input;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new DateRangeError('Date range: now must be a valid Date');
  const zone = zoneOf(timeZone);
  if (preset === 'all_time') return { from: null, to: null };
  if (preset === 'custom') {
    const { custom } = input;
    if (!custom || !custom.start || !custom.end) {
      throw new DateRangeError('Date range: a custom range needs both a start and an end date (YYYY-MM-DD)');
    }
    const start = parseDay(custom.start, 'start');
    const end = parseDay(custom.end, 'end');
    if (start > end) throw new DateRangeError(`Date range: custom start ${custom.start} is after end ${custom.end}`);
    return range(zone, start, end + 1);
  }
  const p = wallParts(zone, now.getTime());
  const today = dayNumber(p.year, p.month, p.day);
  switch (preset) {
    case 'today':
      return range(zone, today, today + 1);
    case 'this_week': {
      const monday = today - ((weekday(today) + 6) % 7);
      return range(zone, monday, monday + 7);
    }
    case 'this_month': {
      const first = dayNumber(p.year, p.month, 1);
      const next = p.month === 12 ? dayNumber(p.year + 1, 1, 1) : dayNumber(p.year, p.month + 1, 1);
      return range(zone, first, next);
    }
    case 'last_30_days':
      return range(zone, today - (LAST_N_DAYS - 1), today + 1);
    default: {
      const unknown: never = preset;
      throw new DateRangeError(`Date range: unknown preset ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The calendar day (YYYY-MM-DD) an instant falls on in `timeZone`: the day
 * the organisation's wall clock shows. The inbox's activity-day index is
 * keyed by it, so a range [from, to) from `dateRange` covers exactly the
 * days calendarDay(from) … calendarDay(to − 1 ms).
 * @throws DateRangeError for an invalid instant or unknown time zone
 */
export function calendarDay(at: Date, timeZone: string): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new DateRangeError('Date range: the instant must be a valid Date');
  const p = wallParts(zoneOf(timeZone), at.getTime());
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`;
}

// ---- calendar days as integers: days since 1970-01-01 (proleptic Gregorian) ----

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a calendar date; works for years 0–99 too (Date.UTC would read them as 19xx). */
function dayNumber(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.floor(d.getTime() / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(day: number): number {
  return new Date(day * DAY_MS).getUTCDay();
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(text: string, which: 'start' | 'end'): number {
  const m = typeof text === 'string' ? DAY_RE.exec(text) : null;
  if (!m) throw new DateRangeError(`Date range: custom ${which} must be a date as YYYY-MM-DD, got ${JSON.stringify(text)}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const n = dayNumber(year, month, day);
  const back = new Date(n * DAY_MS);
  if (year < 1 || back.getUTCFullYear() !== year || back.getUTCMonth() + 1 !== month || back.getUTCDate() !== day) {
    throw new DateRangeError(`Date range: custom ${which} ${text} is not a real calendar date`);
  }
  return n;
}

// ---- wall clock in a time zone ----

type Zone = { format: Intl.DateTimeFormat };
type WallParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const zones = new Map<string, Zone>();

function zoneOf(timeZone: string): Zone {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
    throw new DateRangeError(`Date range: unknown time zone ${JSON.stringify(timeZone)}`);
  }
  let zone = zones.get(timeZone);
  if (!zone) {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new DateRangeError(`Date range: unknown time zone ${JSON.stringify(timeZone)}`);
    }
    zone = { format };
    zones.set(timeZone, zone);
  }
  return zone;
}

function wallParts(zone: Zone, ms: number): WallParts {
  const out: WallParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  let bc = false;
  for (const part of zone.format.formatToParts(new Date(ms))) {
    if (part.type === 'era') bc = part.value === 'BC';
    else if (part.type in out) out[part.type as keyof WallParts] = Number(part.value);
  }
  if (bc) out.year = 1 - out.year;
  return out;
}

/** The wall-clock reading at instant `ms`, as if it were a UTC instant (whole seconds). */
function wallMs(zone: Zone, ms: number): number {
  const p = wallParts(zone, ms);
  return dayNumber(p.year, p.month, p.day) * DAY_MS + ((p.hour * 60 + p.minute) * 60 + p.second) * 1000;
}

/** UTC offset in ms at instant `ms` (wall clock − UTC), whole seconds. */
function offsetAt(zone: Zone, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallMs(zone, whole) - whole;
}

/**
 * The first instant at or after 00:00 local on calendar day `day`.
 * Tries the offsets in force a day either side; if neither reading lands on
 * midnight exactly, midnight fell in a gap, and the answer is the moment the
 * clocks jumped, found by bisection between the two candidates.
 */
function startOfDay(zone: Zone, day: number): number {
  const wall = day * DAY_MS;
  const candidates = [...new Set([wall - offsetAt(zone, wall - DAY_MS), wall - offsetAt(zone, wall + DAY_MS)])].sort((a, b) => a - b);
  for (const t of candidates) {
    if (wallMs(zone, t) === wall) return t;
  }
  // Midnight skipped: bisect for the first instant whose wall clock reads at or after midnight.
  let lo = candidates[0]!;
  let hi = candidates[candidates.length - 1]!;
  if (wallMs(zone, lo) >= wall) return lo;
  if (wallMs(zone, hi) < wall) return hi; // should not happen; never crash
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wallMs(zone, mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

function range(zone: Zone, fromDay: number, toDay: number): DateRange {
  return { from: new Date(startOfDay(zone, fromDay)), to: new Date(startOfDay(zone, toDay)) };
}
