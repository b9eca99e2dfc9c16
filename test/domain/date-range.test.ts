import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DATE_PRESETS,
  calendarDay,
  DATE_PRESET_LABELS,
  DEFAULT_DATE_PRESET,
  DEFAULT_TIME_ZONE,
  DateRangeError,
  LAST_N_DAYS,
  dateRange,
  type CustomDates,
  type DatePreset,
  type DateRange,
} from '../../src/domain/date-range.js';

const HOUR = 3_600_000;
const LONDON = 'Europe/London';

/** The range as ISO strings, so failures read as instants. */
function range(preset: DatePreset, now: string, timeZone = LONDON, custom?: CustomDates): { from: string | null; to: string | null } {
  const r = dateRange({ preset, now: new Date(now), timeZone, custom });
  return { from: r.from?.toISOString() ?? null, to: r.to?.toISOString() ?? null };
}

function hours(r: { from: string | null; to: string | null }): number {
  return (Date.parse(r.to!) - Date.parse(r.from!)) / HOUR;
}

function contains(r: DateRange, at: Date): boolean {
  return r.from!.getTime() <= at.getTime() && at.getTime() < r.to!.getTime();
}

// ---- presets, labels, default ----

test('six presets in the spec order, labelled exactly as the spec writes them', () => {
  assert.deepEqual(DATE_PRESETS, ['all_time', 'today', 'this_week', 'this_month', 'last_30_days', 'custom']);
  assert.deepEqual(
    DATE_PRESETS.map((p) => DATE_PRESET_LABELS[p]),
    ['All time', 'Today', 'This week', 'This month', 'Last 30 days', 'Custom…'],
  );
  assert.equal(DATE_PRESET_LABELS.custom, 'Custom\u2026', 'one ellipsis character, not three dots');
  assert.notEqual(DATE_PRESET_LABELS.custom, 'Custom...');
});

test('the inbox defaults to Last 30 days in Europe/London', () => {
  assert.equal(DEFAULT_DATE_PRESET, 'last_30_days');
  assert.equal(DATE_PRESET_LABELS[DEFAULT_DATE_PRESET], 'Last 30 days');
  assert.equal(DEFAULT_TIME_ZONE, 'Europe/London');
  assert.equal(LAST_N_DAYS, 30);
});

// ---- a plain day ----

test('every preset on a plain summer day in London (BST, UTC+1): Wednesday 17 June 2026, 15:30 local', () => {
  const now = '2026-06-17T14:30:00Z';
  assert.deepEqual(range('all_time', now), { from: null, to: null });
  assert.deepEqual(range('today', now), { from: '2026-06-16T23:00:00.000Z', to: '2026-06-17T23:00:00.000Z' });
  assert.deepEqual(range('this_week', now), { from: '2026-06-14T23:00:00.000Z', to: '2026-06-21T23:00:00.000Z' });
  assert.deepEqual(range('this_month', now), { from: '2026-05-31T23:00:00.000Z', to: '2026-06-30T23:00:00.000Z' });
  assert.deepEqual(range('last_30_days', now), { from: '2026-05-18T23:00:00.000Z', to: '2026-06-17T23:00:00.000Z' });
  assert.deepEqual(range('custom', now, LONDON, { start: '2026-06-01', end: '2026-06-07' }), {
    from: '2026-05-31T23:00:00.000Z',
    to: '2026-06-07T23:00:00.000Z',
  });
});

test('every preset on a plain winter day in London (GMT, UTC+0): Thursday 15 January 2026, 09:00', () => {
  const now = '2026-01-15T09:00:00Z';
  assert.deepEqual(range('all_time', now), { from: null, to: null });
  assert.deepEqual(range('today', now), { from: '2026-01-15T00:00:00.000Z', to: '2026-01-16T00:00:00.000Z' });
  assert.deepEqual(range('this_week', now), { from: '2026-01-12T00:00:00.000Z', to: '2026-01-19T00:00:00.000Z' });
  assert.deepEqual(range('this_month', now), { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
  // 29 days before 15 Jan is 17 Dec: the range crosses the year end
  assert.deepEqual(range('last_30_days', now), { from: '2025-12-17T00:00:00.000Z', to: '2026-01-16T00:00:00.000Z' });
  assert.deepEqual(range('custom', now, LONDON, { start: '2025-12-24', end: '2026-01-02' }), {
    from: '2025-12-24T00:00:00.000Z',
    to: '2026-01-03T00:00:00.000Z',
  });
});

test('each bounded preset contains now, and the ranges are half-open: `to` is the next range’s `from`', () => {
  const now = new Date('2026-06-17T14:30:00Z');
  for (const preset of ['today', 'this_week', 'this_month', 'last_30_days'] as const) {
    const r = dateRange({ preset, now, timeZone: LONDON });
    assert.ok(contains(r, now), preset);
  }
  const today = dateRange({ preset: 'today', now, timeZone: LONDON });
  const tomorrow = dateRange({ preset: 'today', now: today.to!, timeZone: LONDON });
  assert.equal(tomorrow.from!.getTime(), today.to!.getTime());
  const lastMsOfToday = dateRange({ preset: 'today', now: new Date(today.to!.getTime() - 1), timeZone: LONDON });
  assert.deepEqual(lastMsOfToday, today);
});

test('all time is unbounded whatever the clock or zone', () => {
  assert.deepEqual(range('all_time', '1970-01-01T00:00:00Z', 'Pacific/Chatham'), { from: null, to: null });
  assert.deepEqual(range('all_time', '2099-12-31T23:59:59Z', 'America/New_York'), { from: null, to: null });
});

test('custom dates are ignored, even malformed ones, by every preset except custom', () => {
  const bad = { start: 'not a date', end: '2026-02-30' };
  assert.deepEqual(range('today', '2026-06-17T14:30:00Z', LONDON, bad), range('today', '2026-06-17T14:30:00Z'));
  assert.deepEqual(range('all_time', '2026-06-17T14:30:00Z', LONDON, bad), { from: null, to: null });
});

// ---- now exactly at local midnight ----

test('now exactly at local midnight starts the new day; one millisecond earlier is still the old one', () => {
  const midnight = '2026-06-17T23:00:00.000Z'; // 00:00 BST on Thursday 18 June
  assert.deepEqual(range('today', midnight), { from: midnight, to: '2026-06-18T23:00:00.000Z' });
  assert.deepEqual(range('today', '2026-06-17T22:59:59.999Z'), { from: '2026-06-16T23:00:00.000Z', to: midnight });
  assert.deepEqual(range('last_30_days', midnight), { from: '2026-05-19T23:00:00.000Z', to: '2026-06-18T23:00:00.000Z' });
  // Monday 00:00 starts a new week; Sunday 23:59:59.999 is the old one
  assert.deepEqual(range('this_week', '2026-06-21T23:00:00.000Z'), { from: '2026-06-21T23:00:00.000Z', to: '2026-06-28T23:00:00.000Z' });
  assert.deepEqual(range('this_week', '2026-06-21T22:59:59.999Z'), { from: '2026-06-14T23:00:00.000Z', to: '2026-06-21T23:00:00.000Z' });
  // the 1st at 00:00 starts a new month
  assert.deepEqual(range('this_month', '2026-06-30T23:00:00.000Z'), { from: '2026-06-30T23:00:00.000Z', to: '2026-07-31T23:00:00.000Z' });
  assert.deepEqual(range('this_month', '2026-06-30T22:59:59.999Z'), { from: '2026-05-31T23:00:00.000Z', to: '2026-06-30T23:00:00.000Z' });
});

test('local midnight is not UTC midnight: in New York and Kolkata the day turns at their own midnight', () => {
  assert.deepEqual(range('today', '2026-06-17T04:00:00.000Z', 'America/New_York'), {
    from: '2026-06-17T04:00:00.000Z',
    to: '2026-06-18T04:00:00.000Z',
  });
  assert.deepEqual(range('today', '2026-06-17T03:59:59.999Z', 'America/New_York'), {
    from: '2026-06-16T04:00:00.000Z',
    to: '2026-06-17T04:00:00.000Z',
  });
  assert.deepEqual(range('today', '2026-06-16T18:30:00.000Z', 'Asia/Kolkata'), {
    from: '2026-06-16T18:30:00.000Z',
    to: '2026-06-17T18:30:00.000Z',
  });
});

// ---- weeks start on Monday ----

test('weeks start on Monday: on a Sunday, this week began six days ago and ends tonight', () => {
  // Sunday 21 June 2026, 20:00 BST
  assert.deepEqual(range('this_week', '2026-06-21T19:00:00Z'), { from: '2026-06-14T23:00:00.000Z', to: '2026-06-21T23:00:00.000Z' });
  // on the Monday itself the week starts today
  assert.deepEqual(range('this_week', '2026-06-15T08:00:00Z'), { from: '2026-06-14T23:00:00.000Z', to: '2026-06-21T23:00:00.000Z' });
  // every day Monday to Sunday gives the same week
  const weekOf = range('this_week', '2026-06-15T08:00:00Z');
  for (let d = 15; d <= 21; d++) assert.deepEqual(range('this_week', `2026-06-${d}T12:00:00Z`), weekOf, `June ${d}`);
});

test('a week is seven whole local days: 168 hours outside daylight-saving changes', () => {
  assert.equal(hours(range('this_week', '2026-06-17T14:30:00Z')), 168);
  assert.equal(hours(range('this_week', '2026-01-15T09:00:00Z')), 168);
});

test('a week spanning two months: Monday 29 June – Sunday 5 July 2026', () => {
  const week = { from: '2026-06-28T23:00:00.000Z', to: '2026-07-05T23:00:00.000Z' };
  assert.deepEqual(range('this_week', '2026-06-29T00:00:00Z'), week); // Monday 01:00 BST
  assert.deepEqual(range('this_week', '2026-06-30T22:59:59.999Z'), week); // last moment of June
  assert.deepEqual(range('this_week', '2026-06-30T23:00:00Z'), week); // first moment of July
  assert.deepEqual(range('this_week', '2026-07-05T22:59:59.999Z'), week); // last moment of Sunday
  // while the month changes in the middle of the week
  assert.deepEqual(range('this_month', '2026-06-30T12:00:00Z'), { from: '2026-05-31T23:00:00.000Z', to: '2026-06-30T23:00:00.000Z' });
  assert.deepEqual(range('this_month', '2026-07-01T12:00:00Z'), { from: '2026-06-30T23:00:00.000Z', to: '2026-07-31T23:00:00.000Z' });
});

test('a week spanning the year end: Monday 28 December 2026 – Sunday 3 January 2027', () => {
  const week = { from: '2026-12-28T00:00:00.000Z', to: '2027-01-04T00:00:00.000Z' };
  assert.deepEqual(range('this_week', '2026-12-28T00:00:00Z'), week);
  assert.deepEqual(range('this_week', '2026-12-31T23:59:59.999Z'), week);
  assert.deepEqual(range('this_week', '2027-01-01T00:00:00Z'), week);
  assert.deepEqual(range('this_week', '2027-01-03T23:59:59.999Z'), week);
  assert.deepEqual(range('this_month', '2026-12-31T12:00:00Z'), { from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
  assert.deepEqual(range('this_month', '2027-01-01T00:00:00Z'), { from: '2027-01-01T00:00:00.000Z', to: '2027-02-01T00:00:00.000Z' });
});

// ---- months ----

test('this month in February of a leap year (2028) has 29 days; in 2026 it has 28', () => {
  const feb2028 = { from: '2028-02-01T00:00:00.000Z', to: '2028-03-01T00:00:00.000Z' };
  assert.deepEqual(range('this_month', '2028-02-01T00:00:00Z'), feb2028);
  assert.deepEqual(range('this_month', '2028-02-29T23:59:59.999Z'), feb2028);
  assert.equal(hours(feb2028), 29 * 24);
  assert.deepEqual(range('this_month', '2028-03-01T00:00:00Z'), { from: '2028-03-01T00:00:00.000Z', to: '2028-03-31T23:00:00.000Z' });
  assert.equal(hours(range('this_month', '2026-02-14T12:00:00Z')), 28 * 24);
  assert.equal(hours(range('this_month', '2100-02-14T12:00:00Z')), 28 * 24, '2100 is not a leap year');
  assert.equal(hours(range('this_month', '2000-02-14T12:00:00Z')), 29 * 24, '2000 is');
  // the leap day counts in Last 30 days: 29 days before 2028-03-10 is 2028-02-10
  assert.deepEqual(range('last_30_days', '2028-03-10T12:00:00Z'), { from: '2028-02-10T00:00:00.000Z', to: '2028-03-11T00:00:00.000Z' });
});

test('a month containing a clock change is an hour short (March) or long (October) in London', () => {
  assert.deepEqual(range('this_month', '2026-03-15T12:00:00Z'), { from: '2026-03-01T00:00:00.000Z', to: '2026-03-31T23:00:00.000Z' });
  assert.equal(hours(range('this_month', '2026-03-15T12:00:00Z')), 31 * 24 - 1);
  assert.deepEqual(range('this_month', '2026-10-15T12:00:00Z'), { from: '2026-09-30T23:00:00.000Z', to: '2026-11-01T00:00:00.000Z' });
  assert.equal(hours(range('this_month', '2026-10-15T12:00:00Z')), 31 * 24 + 1);
});

// ---- Europe/London daylight saving ----

test('spring forward, Sunday 29 March 2026: today is 23 hours, 00:00 GMT to 00:00 BST', () => {
  const today = { from: '2026-03-29T00:00:00.000Z', to: '2026-03-29T23:00:00.000Z' };
  for (const now of ['2026-03-29T00:00:00Z', '2026-03-29T00:59:59.999Z', '2026-03-29T01:00:00Z', '2026-03-29T12:00:00Z', '2026-03-29T22:59:59.999Z']) {
    assert.deepEqual(range('today', now), today, now);
  }
  assert.equal(hours(today), 23);
  assert.deepEqual(range('today', '2026-03-29T23:00:00Z'), { from: '2026-03-29T23:00:00.000Z', to: '2026-03-30T23:00:00.000Z' });
  assert.deepEqual(range('today', '2026-03-28T23:59:59.999Z'), { from: '2026-03-28T00:00:00.000Z', to: '2026-03-29T00:00:00.000Z' });
});

test('fall back, Sunday 25 October 2026: today is 25 hours, both 01:30s included', () => {
  const today = { from: '2026-10-24T23:00:00.000Z', to: '2026-10-26T00:00:00.000Z' };
  for (const now of ['2026-10-24T23:00:00Z', '2026-10-25T00:30:00Z' /* 01:30 BST */, '2026-10-25T01:30:00Z' /* 01:30 GMT */, '2026-10-25T23:59:59.999Z']) {
    assert.deepEqual(range('today', now), today, now);
  }
  assert.equal(hours(today), 25);
  assert.deepEqual(range('today', '2026-10-26T00:00:00Z'), { from: '2026-10-26T00:00:00.000Z', to: '2026-10-27T00:00:00.000Z' });
});

test('a week containing a clock change is 167 hours (spring) or 169 hours (autumn)', () => {
  const spring = range('this_week', '2026-03-25T12:00:00Z');
  assert.deepEqual(spring, { from: '2026-03-23T00:00:00.000Z', to: '2026-03-29T23:00:00.000Z' });
  assert.equal(hours(spring), 167);
  assert.deepEqual(range('this_week', '2026-03-29T12:00:00Z'), spring, 'the Sunday of the change is still in it');
  const autumn = range('this_week', '2026-10-21T12:00:00Z');
  assert.deepEqual(autumn, { from: '2026-10-18T23:00:00.000Z', to: '2026-10-26T00:00:00.000Z' });
  assert.equal(hours(autumn), 169);
  assert.deepEqual(range('this_week', '2026-10-25T23:30:00Z'), autumn);
});

test('last 30 days is 30 calendar days including today, and follows the clock change', () => {
  // Friday 10 April 2026 (BST) back to Thursday 12 March (GMT): one hour short
  const spring = range('last_30_days', '2026-04-10T12:00:00Z');
  assert.deepEqual(spring, { from: '2026-03-12T00:00:00.000Z', to: '2026-04-10T23:00:00.000Z' });
  assert.equal(hours(spring), 30 * 24 - 1);
  // Thursday 5 November 2026 (GMT) back to Wednesday 7 October (BST): one hour long
  const autumn = range('last_30_days', '2026-11-05T12:00:00Z');
  assert.deepEqual(autumn, { from: '2026-10-06T23:00:00.000Z', to: '2026-11-06T00:00:00.000Z' });
  assert.equal(hours(autumn), 30 * 24 + 1);
  // it is whole days, not now − 30 × 24 h: the start does not move during the day
  assert.deepEqual(range('last_30_days', '2026-04-09T23:00:00Z'), spring);
  assert.deepEqual(range('last_30_days', '2026-04-10T22:59:59.999Z'), spring);
});

// ---- custom ----

test('custom: a single day (start = end) is that whole local day', () => {
  const day = range('custom', '2026-06-17T14:30:00Z', LONDON, { start: '2026-06-17', end: '2026-06-17' });
  assert.deepEqual(day, range('today', '2026-06-17T14:30:00Z'));
  assert.equal(hours(day), 24);
  // a day in the past or the future works the same: custom does not depend on now
  assert.deepEqual(range('custom', '2030-01-01T00:00:00Z', LONDON, { start: '2026-06-17', end: '2026-06-17' }), day);
});

test('custom: the end date is inclusive, the range ends at the following midnight', () => {
  assert.deepEqual(range('custom', '2026-06-17T14:30:00Z', LONDON, { start: '2026-02-27', end: '2026-02-28' }), {
    from: '2026-02-27T00:00:00.000Z',
    to: '2026-03-01T00:00:00.000Z',
  });
  assert.deepEqual(range('custom', '2026-06-17T14:30:00Z', LONDON, { start: '2028-02-29', end: '2028-02-29' }), {
    from: '2028-02-29T00:00:00.000Z',
    to: '2028-03-01T00:00:00.000Z',
  });
});

test('custom: ranges across the clock changes are an hour short or long', () => {
  const spring = range('custom', '2026-06-17T14:30:00Z', LONDON, { start: '2026-03-28', end: '2026-03-30' });
  assert.deepEqual(spring, { from: '2026-03-28T00:00:00.000Z', to: '2026-03-30T23:00:00.000Z' });
  assert.equal(hours(spring), 3 * 24 - 1);
  const autumn = range('custom', '2026-06-17T14:30:00Z', LONDON, { start: '2026-10-24', end: '2026-10-25' });
  assert.deepEqual(autumn, { from: '2026-10-23T23:00:00.000Z', to: '2026-10-26T00:00:00.000Z' });
  assert.equal(hours(autumn), 2 * 24 + 1);
  const springDay = range('custom', '2026-06-17T14:30:00Z', LONDON, { start: '2026-03-29', end: '2026-03-29' });
  assert.equal(hours(springDay), 23);
});

// ---- other time zones ----

test('America/New_York: a plain day, and the 23-hour day its clocks go forward (8 March 2026, 02:00)', () => {
  const NY = 'America/New_York';
  const now = '2026-06-17T14:30:00Z'; // Wednesday 10:30 EDT
  assert.deepEqual(range('today', now, NY), { from: '2026-06-17T04:00:00.000Z', to: '2026-06-18T04:00:00.000Z' });
  assert.deepEqual(range('this_week', now, NY), { from: '2026-06-15T04:00:00.000Z', to: '2026-06-22T04:00:00.000Z' });
  assert.deepEqual(range('this_month', now, NY), { from: '2026-06-01T04:00:00.000Z', to: '2026-07-01T04:00:00.000Z' });
  assert.deepEqual(range('last_30_days', now, NY), { from: '2026-05-19T04:00:00.000Z', to: '2026-06-18T04:00:00.000Z' });
  // 01:00 UTC on the 18th is still the 17th in New York
  assert.deepEqual(range('today', '2026-06-18T01:00:00Z', NY), range('today', now, NY));
  const springDay = range('today', '2026-03-08T12:00:00Z', NY);
  assert.deepEqual(springDay, { from: '2026-03-08T05:00:00.000Z', to: '2026-03-09T04:00:00.000Z' });
  assert.equal(hours(springDay), 23);
  const fallDay = range('today', '2026-11-01T12:00:00Z', NY);
  assert.deepEqual(fallDay, { from: '2026-11-01T04:00:00.000Z', to: '2026-11-02T05:00:00.000Z' });
  assert.equal(hours(fallDay), 25);
});

test('Asia/Kolkata (+05:30, no daylight saving): the local date runs ahead of UTC', () => {
  const IN = 'Asia/Kolkata';
  const now = '2026-06-21T20:00:00Z'; // Monday 22 June 01:30 IST, while UTC still says Sunday
  assert.deepEqual(range('today', now, IN), { from: '2026-06-21T18:30:00.000Z', to: '2026-06-22T18:30:00.000Z' });
  assert.deepEqual(range('this_week', now, IN), { from: '2026-06-21T18:30:00.000Z', to: '2026-06-28T18:30:00.000Z' });
  assert.deepEqual(range('this_month', now, IN), { from: '2026-05-31T18:30:00.000Z', to: '2026-06-30T18:30:00.000Z' });
  assert.deepEqual(range('last_30_days', now, IN), { from: '2026-05-23T18:30:00.000Z', to: '2026-06-22T18:30:00.000Z' });
  assert.deepEqual(range('custom', now, IN, { start: '2026-03-29', end: '2026-03-29' }), {
    from: '2026-03-28T18:30:00.000Z',
    to: '2026-03-29T18:30:00.000Z',
  });
});

test('Pacific/Chatham (+12:45, +13:45 in summer): quarter-hour offsets and a 25-hour day', () => {
  const CH = 'Pacific/Chatham';
  const now = '2026-06-17T12:00:00Z'; // Thursday 18 June 00:45 CHAST
  assert.deepEqual(range('today', now, CH), { from: '2026-06-17T11:15:00.000Z', to: '2026-06-18T11:15:00.000Z' });
  assert.deepEqual(range('this_week', now, CH), { from: '2026-06-14T11:15:00.000Z', to: '2026-06-21T11:15:00.000Z' });
  assert.deepEqual(range('this_month', now, CH), { from: '2026-05-31T11:15:00.000Z', to: '2026-06-30T11:15:00.000Z' });
  // summer time: January is +13:45
  assert.deepEqual(range('today', '2026-01-15T00:00:00Z', CH), { from: '2026-01-14T10:15:00.000Z', to: '2026-01-15T10:15:00.000Z' });
  // summer time ends Sunday 5 April 2026 at 03:45 → 02:45
  const fallDay = range('today', '2026-04-05T00:00:00Z', CH);
  assert.deepEqual(fallDay, { from: '2026-04-04T10:15:00.000Z', to: '2026-04-05T11:15:00.000Z' });
  assert.equal(hours(fallDay), 25);
  // and starts Sunday 27 September 2026 at 02:45 → 03:45
  assert.equal(hours(range('today', '2026-09-27T00:00:00Z', CH)), 23);
});

test('UTC and differently-cased zone names are accepted', () => {
  assert.deepEqual(range('today', '2026-06-17T14:30:00Z', 'UTC'), { from: '2026-06-17T00:00:00.000Z', to: '2026-06-18T00:00:00.000Z' });
  assert.deepEqual(range('this_week', '2026-06-17T14:30:00Z', 'europe/london'), range('this_week', '2026-06-17T14:30:00Z'));
});

// ---- zones where local midnight is skipped or repeated ----

test('midnight skipped (America/Sao_Paulo, 4 November 2018): the day starts when the clocks land at 01:00', () => {
  const SP = 'America/Sao_Paulo';
  const day = range('today', '2018-11-04T12:00:00Z', SP);
  assert.deepEqual(day, { from: '2018-11-04T03:00:00.000Z', to: '2018-11-05T02:00:00.000Z' });
  assert.equal(hours(day), 23);
  // the day before ends exactly where it starts
  assert.equal(range('today', '2018-11-04T02:59:59.999Z', SP).to, day.from);
  assert.deepEqual(range('today', '2018-11-04T03:00:00Z', SP), day);
});

test('midnight skipped in Asia/Beirut (30 March 2025) and America/Havana (9 March 2025)', () => {
  assert.deepEqual(range('custom', '2026-01-01T00:00:00Z', 'Asia/Beirut', { start: '2025-03-30', end: '2025-03-30' }), {
    from: '2025-03-29T22:00:00.000Z',
    to: '2025-03-30T21:00:00.000Z',
  });
  assert.deepEqual(range('this_week', '2025-03-30T12:00:00Z', 'Asia/Beirut'), { from: '2025-03-23T22:00:00.000Z', to: '2025-03-30T21:00:00.000Z' });
  assert.deepEqual(range('today', '2025-03-09T12:00:00Z', 'America/Havana'), { from: '2025-03-09T05:00:00.000Z', to: '2025-03-10T04:00:00.000Z' });
});

test('midnight happens twice (America/Havana, 2 November 2025, 01:00 → 00:00): the day starts at the first', () => {
  const day = range('today', '2025-11-02T12:00:00Z', 'America/Havana');
  assert.deepEqual(day, { from: '2025-11-02T04:00:00.000Z', to: '2025-11-03T05:00:00.000Z' });
  assert.equal(hours(day), 25);
  // the second 00:30 is the same day
  assert.deepEqual(range('today', '2025-11-02T05:30:00Z', 'America/Havana'), day);
});

test('a calendar day a zone skipped entirely (Pacific/Apia, 30 December 2011) is an empty range, without crashing', () => {
  const AP = 'Pacific/Apia';
  assert.deepEqual(range('custom', '2026-01-01T00:00:00Z', AP, { start: '2011-12-30', end: '2011-12-30' }), {
    from: '2011-12-30T10:00:00.000Z',
    to: '2011-12-30T10:00:00.000Z',
  });
  assert.deepEqual(range('custom', '2026-01-01T00:00:00Z', AP, { start: '2011-12-29', end: '2011-12-31' }), {
    from: '2011-12-29T10:00:00.000Z',
    to: '2011-12-31T10:00:00.000Z',
  });
  // this week, seen from the 31st, is Monday 26 – Sunday 1 January, one day short
  const week = range('this_week', '2011-12-31T12:00:00Z', AP);
  assert.deepEqual(week, { from: '2011-12-26T10:00:00.000Z', to: '2012-01-01T10:00:00.000Z' });
  assert.equal(hours(week), 6 * 24);
});

// ---- every day of a year, several zones ----

test('every day of 2026 in seven zones: today contains now, days tile without gaps, weeks start on a Monday', () => {
  const zones = [LONDON, 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'America/Sao_Paulo', 'Asia/Beirut', 'Australia/Lord_Howe'];
  for (const timeZone of zones) {
    const weekday = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    let now = dateRange({ preset: 'today', now: new Date('2026-01-01T12:00:00Z'), timeZone }).from!;
    let prevTo: number | null = null;
    while (now.getUTCFullYear() < 2027) {
      const mid = new Date(now.getTime() + 12 * HOUR + 17 * 60_000);
      const today = dateRange({ preset: 'today', now: mid, timeZone });
      assert.ok(contains(today, mid), `${timeZone} ${mid.toISOString()}`);
      assert.equal(today.from!.getTime(), now.getTime(), `${timeZone} ${mid.toISOString()}`);
      if (prevTo !== null) assert.equal(today.from!.getTime(), prevTo, `${timeZone} days tile`);
      const length = (today.to!.getTime() - today.from!.getTime()) / HOUR;
      assert.ok(length >= 23 && length <= 25, `${timeZone} ${mid.toISOString()} is ${length} h`);
      const week = dateRange({ preset: 'this_week', now: mid, timeZone });
      assert.ok(contains(week, mid));
      assert.equal(weekday.format(week.from!), 'Mon 00:00', `${timeZone} ${mid.toISOString()}`);
      prevTo = today.to!.getTime();
      now = today.to!;
    }
  }
});

// ---- errors ----

function rejects(input: Parameters<typeof dateRange>[0], message: RegExp): void {
  assert.throws(
    () => dateRange(input),
    (err: unknown) => {
      assert.ok(err instanceof DateRangeError, `expected DateRangeError, got ${String(err)}`);
      assert.ok(err instanceof Error);
      assert.equal(err.name, 'DateRangeError');
      assert.match(err.message, message);
      return true;
    },
  );
}

const now = new Date('2026-06-17T14:30:00Z');

test('an unknown time zone is rejected, whatever the preset', () => {
  for (const timeZone of ['Mars/Olympus', 'Europe/Londn', 'London', '', '   ']) {
    for (const preset of DATE_PRESETS) {
      rejects({ preset, now, timeZone, custom: { start: '2026-06-01', end: '2026-06-02' } }, /unknown time zone/);
    }
  }
  rejects({ preset: 'today', now, timeZone: undefined as unknown as string }, /unknown time zone/);
});

test('a custom range without both dates is rejected', () => {
  rejects({ preset: 'custom', now, timeZone: LONDON }, /needs both a start and an end date/);
  rejects({ preset: 'custom', now, timeZone: LONDON, custom: { start: '2026-06-01' } as CustomDates }, /needs both/);
  rejects({ preset: 'custom', now, timeZone: LONDON, custom: { end: '2026-06-01' } as CustomDates }, /needs both/);
  rejects({ preset: 'custom', now, timeZone: LONDON, custom: { start: '', end: '2026-06-01' } }, /needs both/);
  rejects({ preset: 'custom', now, timeZone: LONDON, custom: { start: '2026-06-01', end: '' } }, /needs both/);
});

test('malformed custom dates are rejected: only YYYY-MM-DD', () => {
  const malformed = ['2026-6-1', '2026/06/01', '01-06-2026', '20260601', '2026-06-01T00:00', '2026-06-01Z', ' 2026-06-01', '2026-06-01 ', '+2026-06-01', '26-06-01', 'today', '２０２６-06-01'];
  for (const bad of malformed) {
    rejects({ preset: 'custom', now, timeZone: LONDON, custom: { start: bad, end: '2026-06-30' } }, /custom start must be a date as YYYY-MM-DD/);
    rejects({ preset: 'custom', now, timeZone: LONDON, custom: { start: '2026-06-01', end: bad } }, /custom end must be a date as YYYY-MM-DD/);
  }
  rejects({ preset: 'custom', now, timeZone: LONDON, custom: { start: 20260601 as unknown as string, end: '2026-06-30' } }, /YYYY-MM-DD/);
});

test('impossible custom dates are rejected', () => {
  for (const bad of ['2026-02-30', '2026-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-06-00', '2026-06-32', '0000-01-01']) {
    rejects({ preset: 'custom', now, timeZone: LONDON, custom: { start: bad, end: '2026-06-30' } }, new RegExp(`custom start ${bad} is not a real calendar date`));
    rejects({ preset: 'custom', now, timeZone: LONDON, custom: { start: '2026-01-01', end: bad } }, new RegExp(`custom end ${bad} is not a real calendar date`));
  }
  // the leap day itself is fine in a leap year
  assert.doesNotThrow(() => dateRange({ preset: 'custom', now, timeZone: LONDON, custom: { start: '2028-02-29', end: '2028-02-29' } }));
  assert.doesNotThrow(() => dateRange({ preset: 'custom', now, timeZone: LONDON, custom: { start: '2000-02-29', end: '2000-02-29' } }));
});

test('a custom start after its end is rejected (equal is one day, allowed)', () => {
  rejects({ preset: 'custom', now, timeZone: LONDON, custom: { start: '2026-06-02', end: '2026-06-01' } }, /custom start 2026-06-02 is after end 2026-06-01/);
  rejects({ preset: 'custom', now, timeZone: LONDON, custom: { start: '2027-01-01', end: '2026-12-31' } }, /is after end/);
  assert.doesNotThrow(() => dateRange({ preset: 'custom', now, timeZone: LONDON, custom: { start: '2026-06-01', end: '2026-06-01' } }));
});

test('an unknown preset or an invalid now is rejected', () => {
  rejects({ preset: 'yesterday' as DatePreset, now, timeZone: LONDON }, /unknown preset "yesterday"/);
  rejects({ preset: 'Today' as DatePreset, now, timeZone: LONDON }, /unknown preset/);
  rejects({ preset: 'today', now: new Date('not a date'), timeZone: LONDON }, /now must be a valid Date/);
  rejects({ preset: 'today', now: '2026-06-17T14:30:00Z' as unknown as Date, timeZone: LONDON }, /now must be a valid Date/);
});

test('calendarDay is the organisation-local day, across the autumn clock change', () => {
  assert.equal(calendarDay(new Date('2026-10-24T23:30:00Z'), 'Europe/London'), '2026-10-25');
  assert.equal(calendarDay(new Date('2026-10-25T23:30:00Z'), 'Europe/London'), '2026-10-25');
  assert.equal(calendarDay(new Date('2026-10-25T23:30:00Z'), 'UTC'), '2026-10-25');
  assert.equal(calendarDay(new Date('2026-10-25T22:59:59Z'), 'Asia/Tokyo'), '2026-10-26');
  const week = dateRange({ preset: 'this_week', now: new Date('2026-10-28T12:00:00Z'), timeZone: 'Europe/London' });
  assert.equal(calendarDay(week.from!, 'Europe/London'), '2026-10-26');
  assert.equal(calendarDay(new Date(week.to!.getTime() - 1), 'Europe/London'), '2026-11-01');
});
