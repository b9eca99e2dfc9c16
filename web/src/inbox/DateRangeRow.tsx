/**
 * The date-range row: All time, Today, This week, This month, Last 30 days,
 * Custom… — Custom opens an inline date-range picker; the list refetches as
 * soon as both dates are set.
 */
import { useEffect, useState } from 'react';
import type { RangePreset } from '../api/types';
import { RANGE_LABELS } from '../lib/range-labels';
import { RANGE_PRESETS } from '../lib/url-state';

type Props = {
  range: RangePreset;
  start: string | null;
  end: string | null;
  /** The last custom range (remembered), offered when Custom… is picked again. */
  lastCustom: { start: string; end: string } | null;
  disabled: boolean;
  onChange(range: RangePreset, start?: string, end?: string): void;
};

export function DateRangeRow({ range, start, end, lastCustom, disabled, onChange }: Props) {
  const [picking, setPicking] = useState(range === 'custom');
  const [from, setFrom] = useState(start ?? lastCustom?.start ?? '');
  const [to, setTo] = useState(end ?? lastCustom?.end ?? '');
  useEffect(() => {
    if (range === 'custom') {
      setPicking(true);
      if (start) setFrom(start);
      if (end) setTo(end);
    }
  }, [range, start, end]);

  const pick = (preset: RangePreset) => {
    if (preset !== 'custom') {
      setPicking(false);
      onChange(preset);
      return;
    }
    setPicking(true);
    const s = from || lastCustom?.start || '';
    const e = to || lastCustom?.end || '';
    setFrom(s);
    setTo(e);
    if (s && e && s <= e) onChange('custom', s, e);
  };
  const setDates = (s: string, e: string) => {
    setFrom(s);
    setTo(e);
    if (s && e && s <= e) onChange('custom', s, e);
  };
  const invalid = Boolean(from && to && from > to);

  return (
    <div className="filter-block">
      <div className="segmented segmented-dates" role="group" aria-label="Date range">
        {RANGE_PRESETS.map((p) => {
          const active = p === 'custom' ? picking || range === 'custom' : range === p && !picking;
          return (
            <button key={p} type="button" className="seg" aria-pressed={active} disabled={disabled} onClick={() => pick(p)}>
              {RANGE_LABELS[p]}
            </button>
          );
        })}
      </div>
      {picking && !disabled ? (
        <div className="date-picker" role="group" aria-label="Custom date range">
          <label>
            <span>From</span>
            <input type="date" value={from} max={to || undefined} onChange={(ev) => setDates(ev.target.value, to)} />
          </label>
          <label>
            <span>To</span>
            <input type="date" value={to} min={from || undefined} onChange={(ev) => setDates(from, ev.target.value)} />
          </label>
          {invalid ? <p className="field-error" role="alert">The start date must be on or before the end date.</p> : null}
        </div>
      ) : null}
    </div>
  );
}
