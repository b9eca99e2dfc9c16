/**
 * The date-range row: All time, Today, This week, This month, Last 30 days,
 * Custom… — Custom opens an inline date-range picker (dd/mm/yyyy, the
 * garage's format whatever the browser's language); the list refetches as
 * soon as both dates are set.
 */
import { useEffect, useRef, useState } from 'react';
import type { RangePreset } from '../api/types';
import { RANGE_LABELS } from '../lib/range-labels';
import { RANGE_PRESETS } from '../lib/url-state';
import { UkDateField } from '../shared/UkDateField';

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

  // On phones the presets are one row that scrolls sideways: keep the chosen one in view.
  const group = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const g = group.current;
    const b = g?.querySelector<HTMLElement>('[aria-pressed="true"]');
    if (!g || !b || g.scrollWidth <= g.clientWidth) return;
    if (b.offsetLeft < g.scrollLeft) g.scrollLeft = b.offsetLeft;
    else if (b.offsetLeft + b.offsetWidth > g.scrollLeft + g.clientWidth) g.scrollLeft = b.offsetLeft + b.offsetWidth - g.clientWidth;
  }, [range, picking]);

  return (
    <div className="filter-block">
      <div ref={group} className="segmented segmented-dates" role="group" aria-label="Date range">
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
          <UkDateField label="From" value={from} onChange={(v) => setDates(v, to)} />
          <UkDateField label="To" value={to} onChange={(v) => setDates(from, v)} />
          {invalid ? <p className="field-error" role="alert">The start date must be on or before the end date.</p> : null}
        </div>
      ) : null}
    </div>
  );
}
