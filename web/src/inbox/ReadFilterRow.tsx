/** The read-filter row: All, Unread, Unassigned, Mine, each with its count badge. */
import type { FilterCounts, ReadFilter } from '../api/types';
import { FILTER_LABELS } from '../lib/range-labels';
import { READ_FILTERS } from '../lib/url-state';

export function ReadFilterRow({ filter, counts, disabled, onChange }: { filter: ReadFilter; counts: FilterCounts | null; disabled: boolean; onChange(f: ReadFilter): void }) {
  return (
    <div className="segmented segmented-filters" role="group" aria-label="Show conversations">
      {READ_FILTERS.map((f) => (
        <button key={f} type="button" className="seg seg-count" aria-pressed={filter === f} disabled={disabled} onClick={() => onChange(f)}>
          <span className="seg-label">{FILTER_LABELS[f]}</span>
          <span className="count" data-filter-count={f} aria-label={counts ? `${counts[f]} conversations` : 'count loading'}>
            {counts ? counts[f] : '–'}
          </span>
        </button>
      ))}
    </div>
  );
}
