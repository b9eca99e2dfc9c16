/**
 * The conversation list for the current range, filter and search: the first
 * 50, "Load more" pages, the filter counts, and live updates. On any live
 * event the first page is fetched again (debounced), so rows with new
 * activity move to the top and the counts stay right; the rows that changed
 * are returned in `highlighted` for a few seconds.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchConversations, type ListParams } from '../api/inbox';
import type { ConversationList, ConversationRow, FilterCounts, RangeInfo } from '../api/types';
import { useInboxEvents } from './useEventStream';

export type ListState = {
  rows: ConversationRow[];
  counts: FilterCounts | null;
  range: RangeInfo | null;
  nextCursor: string | null;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  loadingMore: boolean;
  highlighted: ReadonlySet<string>;
};

const PAGE = 50;
const HIGHLIGHT_MS = 4000;

export function useConversationList(params: Omit<ListParams, 'cursor' | 'limit'>) {
  const [state, setState] = useState<ListState>({ rows: [], counts: null, range: null, nextCursor: null, status: 'loading', error: null, loadingMore: false, highlighted: new Set() });
  const key = JSON.stringify([params.range, params.start, params.end, params.filter, params.q?.trim() ?? '']);
  const paramsRef = useRef(params);
  paramsRef.current = params;
  const loaded = useRef(PAGE);
  const generation = useRef(0);

  const apply = (list: ConversationList, keep: 'replace' | 'append', highlight: string[] = []) => {
    setState((s) => {
      const rows = keep === 'append' ? [...s.rows, ...list.conversations.filter((r) => !s.rows.some((x) => x.id === r.id))] : list.conversations;
      const highlighted = new Set(s.highlighted);
      for (const id of highlight) highlighted.add(id);
      return { rows, counts: list.counts ?? s.counts, range: list.range ?? s.range, nextCursor: list.nextCursor, status: 'ready', error: null, loadingMore: false, highlighted };
    });
  };

  // Fresh load whenever the scope changes.
  useEffect(() => {
    const controller = new AbortController();
    const gen = ++generation.current;
    loaded.current = PAGE;
    setState((s) => ({ ...s, status: 'loading', error: null, rows: s.rows, highlighted: new Set() }));
    fetchConversations({ ...paramsRef.current, limit: PAGE }, controller.signal)
      .then((list) => { if (gen === generation.current) apply(list, 'replace'); })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, rows: [], counts: null, nextCursor: null, status: 'error', error: e instanceof Error ? e.message : 'Could not load conversations.' }));
      });
    return () => controller.abort();
  }, [key]);

  const loadMore = useCallback(async () => {
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore) return;
    const gen = generation.current;
    setState((s) => ({ ...s, loadingMore: true }));
    try {
      const list = await fetchConversations({ ...paramsRef.current, cursor, limit: PAGE });
      if (gen !== generation.current) return;
      loaded.current += list.conversations.length;
      apply(list, 'append');
    } catch (e) {
      setState((s) => ({ ...s, loadingMore: false, error: e instanceof Error ? e.message : 'Could not load more.' }));
    }
  }, [state.nextCursor, state.loadingMore]);

  // Live: refetch what is shown (up to 200 rows) a moment after events stop arriving.
  const pending = useRef<{ timer: number | undefined; due: number; ids: Set<string> }>({ timer: undefined, due: 0, ids: new Set() });
  const refresh = useCallback((highlightIds: string[] = [], delayMs = 250) => {
    for (const id of highlightIds) pending.current.ids.add(id);
    // A sooner refresh replaces a later one; a later one never postpones a sooner one.
    const due = Date.now() + delayMs;
    if (pending.current.timer !== undefined && pending.current.due <= due) return;
    pending.current.due = due;
    window.clearTimeout(pending.current.timer);
    pending.current.timer = window.setTimeout(async () => {
      pending.current.timer = undefined;
      const ids = [...pending.current.ids];
      pending.current.ids.clear();
      const gen = generation.current;
      try {
        const list = await fetchConversations({ ...paramsRef.current, limit: Math.min(200, Math.max(PAGE, loaded.current)) });
        if (gen !== generation.current) return;
        apply(list, 'replace', ids.filter((id) => list.conversations.some((r) => r.id === id)));
        for (const id of ids) {
          window.setTimeout(() => setState((s) => {
            if (!s.highlighted.has(id)) return s;
            const highlighted = new Set(s.highlighted);
            highlighted.delete(id);
            return { ...s, highlighted };
          }), HIGHLIGHT_MS);
        }
      } catch {
        // The next event or reconnect tries again.
      }
    }, delayMs);
  }, []);
  useEffect(() => () => window.clearTimeout(pending.current.timer), []);

  useInboxEvents((event) => {
    if (event.type === 'resync') return refresh();
    if (event.type === 'approval.requested' || event.type === 'approval.decided') return;
    // Delivery statuses do not change a row (only, rarely, which range it falls in): refresh them lazily.
    if (event.type === 'message.status') return refresh([], 3000);
    const newActivity = event.type === 'message.created' && event.conversationId ? [event.conversationId] : [];
    refresh(newActivity);
  }, () => refresh([], 0));

  /** Clear a row's unread badge at once (the server is told separately). */
  const markRowRead = useCallback((id: string) => {
    setState((s) => {
      const row = s.rows.find((r) => r.id === id);
      if (!row || row.unreadCount === 0) return s;
      return { ...s, rows: s.rows.map((r) => (r.id === id ? { ...r, unreadCount: 0 } : r)) };
    });
  }, []);

  return { ...state, loadMore, refresh, markRowRead };
}
