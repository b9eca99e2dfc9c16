/**
 * The conversation list panel: search, the date-range and read-filter rows,
 * the "Showing: …" line, the one-time Last-30-days banner, the rows, Load
 * more, and the empty state with a one-tap All time link.
 */
import { useEffect, useRef } from 'react';
import type { RangePreset, ReadFilter } from '../api/types';
import type { ListState } from '../hooks/useConversationList';
import { showingLine } from '../lib/range-labels';
import { SearchIcon } from '../shell/icons';
import { ConversationRowItem } from './ConversationRowItem';
import { DateRangeRow } from './DateRangeRow';
import { ReadFilterRow } from './ReadFilterRow';

type Props = {
  list: ListState & { loadMore(): void };
  range: RangePreset;
  start: string | null;
  end: string | null;
  lastCustom: { start: string; end: string } | null;
  filter: ReadFilter;
  q: string;
  selectedId: string | null;
  showRangeBanner: boolean;
  onDismissRangeBanner(): void;
  onRange(range: RangePreset, start?: string, end?: string): void;
  onFilter(filter: ReadFilter): void;
  onSearch(q: string): void;
  onOpen(id: string): void;
};

export function ConversationList(p: Props) {
  // A new date range or filter is a new list: start it at the top (it used to keep the old scroll position).
  const listScroll = useRef<HTMLDivElement>(null);
  useEffect(() => { if (listScroll.current) listScroll.current.scrollTop = 0; }, [p.range, p.start, p.end, p.filter]);
  const searching = Boolean(p.q.trim());
  const { list } = p;
  const empty = list.status === 'ready' && list.rows.length === 0;
  const hasRows = list.rows.length > 0;
  useEffect(() => {
    // For measuring the first screen (the browser test reads this mark).
    if (hasRows && performance.getEntriesByName('tf:first-rows').length === 0) performance.mark('tf:first-rows');
  }, [hasRows]);
  return (
    <section className="list-pane" aria-label="Conversations">
      <div className="list-controls">
        <div className="search">
          <SearchIcon size={18} />
          <input type="search" aria-label="Search conversations" placeholder="Search name, phone or message" value={p.q} onChange={(e) => p.onSearch(e.target.value)} />
        </div>
        <DateRangeRow range={p.range} start={p.start} end={p.end} lastCustom={p.lastCustom} disabled={searching} onChange={p.onRange} />
        <ReadFilterRow filter={p.filter} counts={searching ? null : list.counts} disabled={searching} onChange={p.onFilter} />
        <p className="showing" aria-live="polite">{showingLine({ q: p.q, range: p.range, start: p.start, end: p.end })}</p>
        {p.showRangeBanner ? (
          <div className="notice-banner" role="region" aria-label="About the date range">
            <p>
              <strong>The inbox now shows the last 30 days.</strong> The list and the counts cover recent activity only. Pick <em>All time</em> to see every conversation.
            </p>
            <button type="button" className="btn btn-quiet" onClick={p.onDismissRangeBanner}>Dismiss</button>
          </div>
        ) : null}
      </div>

      <div className="list-scroll" ref={listScroll}>
        {list.status === 'error' ? <p className="error-box" role="alert">{list.error}</p> : null}
        {list.status === 'loading' && list.rows.length === 0 ? <RowSkeletons /> : null}
        {empty ? (
          <div className="empty-state">
            <p>{searching ? 'No conversations match your search.' : 'No conversations in this date range.'}</p>
            {!searching && p.range !== 'all_time' ? (
              <button type="button" className="link-button" onClick={() => p.onRange('all_time')}>Show All time</button>
            ) : null}
          </div>
        ) : null}
        {list.rows.length > 0 ? (
          <ul className={`rows${list.status === 'loading' ? ' stale' : ''}`} aria-busy={list.status === 'loading'}>
            {list.rows.map((r) => (
              <ConversationRowItem key={r.id} row={r} selected={r.id === p.selectedId} highlighted={list.highlighted.has(r.id)} onOpen={p.onOpen} />
            ))}
          </ul>
        ) : null}
        {list.nextCursor ? (
          <div className="load-more">
            <button type="button" className="btn" onClick={() => list.loadMore()} disabled={list.loadingMore}>
              {list.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </div>
    </section>
  );
}

function RowSkeletons() {
  return (
    <ul className="rows" aria-hidden="true">
      {Array.from({ length: 8 }, (_, i) => (
        <li key={i} className="row skeleton"><span className="sk sk-icon" /><span className="row-main"><span className="sk sk-line" /><span className="sk sk-line short" /></span></li>
      ))}
    </ul>
  );
}
