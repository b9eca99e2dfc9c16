/**
 * The Inbox tab: the conversation list on the left, the open thread on the
 * right (replacing the list on phones), and the details sidebar (always at
 * ≥1280 px, toggled at 768–1279 px, a slide-out sheet on phones). The
 * range, filter, search and open conversation live in the address.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { fetchStaff } from '../api/inbox';
import type { Me, RangePreset, ReadFilter, StaffMember } from '../api/types';
import { useConversationList } from '../hooks/useConversationList';
import { useLayout } from '../hooks/useMediaQuery';
import { useOnce } from '../hooks/useOnce';
import { useThread } from '../hooks/useThread';
import { useQuickMessages } from '../settings/useQuickMessages';
import { remembered } from '../lib/storage';
import { inboxUrl, initialRange, parseInboxUrl } from '../lib/url-state';
import { ConversationList } from './ConversationList';
import { DetailsSidebar } from './DetailsSidebar';
import { Thread } from './Thread';

const NO_STAFF: StaffMember[] = [];

export function InboxPage({ me, capabilities }: { me: Me; capabilities: ReadonlySet<string> }) {
  const loc = useLocation();
  const navigate = useNavigate();
  const url = useMemo(() => parseInboxUrl(loc.pathname, loc.search), [loc.pathname, loc.search]);
  const range = useMemo(
    () => initialRange(url, { preset: remembered.preset(), custom: remembered.custom() }),
    [url.range, url.start, url.end],
  );
  const [lastCustom, setLastCustom] = useState(remembered.custom);
  const [qInput, setQInput] = useState(url.q);
  const [showBanner, setShowBanner] = useState(() => !remembered.bannerDismissed());
  const layout = useLayout();
  const [detailsToggled, setDetailsToggled] = useState(false);

  const state = { ...url, ...range };
  const go = (patch: Partial<typeof state>, replace = true) => {
    const target = inboxUrl({ ...state, ...patch, tab: 'inbox' });
    if (target !== loc.pathname + loc.search) void navigate(target, { replace });
  };

  // Put the effective range in the address on first load, so it can be shared.
  useEffect(() => {
    if (!url.range) go({}, true);
  }, [url.range]);

  // Search: the address follows the box after a short pause.
  const searchTimer = useRef<number | undefined>(undefined);
  const onSearch = (q: string) => {
    setQInput(q);
    window.clearTimeout(searchTimer.current);
    searchTimer.current = window.setTimeout(() => go({ q }), 250);
  };
  useEffect(() => { if (url.q !== qInput && document.activeElement?.getAttribute('type') !== 'search') setQInput(url.q); }, [url.q]);

  const list = useConversationList({ range: state.range, start: state.start, end: state.end, filter: state.filter, q: url.q });
  const thread = useThread(url.conversation, list.markRowRead);
  const staff = useOnce('staff', fetchStaff, NO_STAFF);
  const { quickMessages } = useQuickMessages();

  const onRange = (r: RangePreset, start?: string, end?: string) => {
    remembered.setPreset(r);
    if (r === 'custom' && start && end) {
      remembered.setCustom(start, end);
      setLastCustom({ start, end });
    }
    go({ range: r, start: start ?? null, end: end ?? null });
  };
  const onFilter = (f: ReadFilter) => go({ filter: f });
  const open = (id: string | null) => go({ conversation: id }, false);
  const dismissBanner = () => {
    remembered.dismissBanner();
    setShowBanner(false);
  };

  const hasThread = Boolean(url.conversation);
  // Back on a phone: focus returns to the row that was open.
  const lastOpen = useRef<string | null>(null);
  useEffect(() => {
    if (url.conversation) {
      lastOpen.current = url.conversation;
      return;
    }
    const id = lastOpen.current;
    if (id && layout === 'mobile') {
      window.requestAnimationFrame(() => document.querySelector<HTMLAnchorElement>(`li[data-conversation-id="${CSS.escape(id)}"] a`)?.focus());
    }
  }, [url.conversation, layout]);
  const conversation = thread.thread?.conversation ?? null;
  const sidebarMode: 'column' | 'sheet' | null = !conversation ? null
    : layout === 'wide' ? 'column'
      : detailsToggled ? (layout === 'medium' ? 'column' : 'sheet') : null;
  useEffect(() => setDetailsToggled(false), [url.conversation]);

  return (
    <div className={`inbox layout-${layout}${hasThread ? ' has-thread' : ''}${sidebarMode === 'column' ? ' with-details' : ''}`}>
      <ConversationList
        list={list} range={state.range} start={state.start} end={state.end} lastCustom={lastCustom}
        filter={state.filter} q={qInput} selectedId={url.conversation}
        showRangeBanner={showBanner} onDismissRangeBanner={dismissBanner}
        onRange={onRange} onFilter={onFilter} onSearch={onSearch} onOpen={open} />
      <Thread state={thread} layout={layout} foundMessageId={url.q.trim() ? list.rows.find((r) => r.id === url.conversation)?.match?.messageId ?? null : null} me={me} capabilities={capabilities} staff={staff} quickMessages={quickMessages}
        detailsOpen={sidebarMode !== null} onBack={() => open(null)} onToggleDetails={() => setDetailsToggled((v) => !v)} />
      {conversation && sidebarMode ? (
        <>
          {sidebarMode === 'sheet' ? <div className="sheet-backdrop" onClick={() => setDetailsToggled(false)} aria-hidden="true" /> : null}
          <DetailsSidebar conversation={conversation} staff={staff} canSeeContact={capabilities.has('customers.contact.view')} canCreateCustomer={capabilities.has('customers.manage')}
            sheet={sidebarMode === 'sheet'} onClose={layout === 'wide' ? undefined : () => setDetailsToggled(false)}
            onChanged={() => { void thread.refreshLatest(); list.refresh(); }} />
        </>
      ) : null}
    </div>
  );
}
