/**
 * The thread panel: header (Back on mobile, name, channel badge, WhatsApp
 * window, details toggle), Load earlier messages, the messages in order,
 * and the composer.
 */
import { useEffect, useLayoutEffect, useRef, useState, useCallback } from 'react';
import { retryMessage } from '../api/inbox';
import type { Me, Message, QuickMessage, StaffMember } from '../api/types';
import type { ThreadState } from '../hooks/useThread';
import type { Layout } from '../hooks/useMediaQuery';
import { ChevronLeftIcon, InfoIcon, PanelIcon } from '../shell/icons';
import { CallCard } from './CallCard';
import { CallButton } from '../calls/CallButton';
import { ChannelBadge } from './ChannelIcon';
import { Composer } from './Composer';
import { MessageItem } from './MessageItem';
import { rowName } from './ConversationRowItem';
import { showsWindowPill, WindowIndicator } from './WindowIndicator';

type Props = {
  /** A search result's matching message: scrolled to and marked when the thread opens. */
  foundMessageId?: string | null;
  state: ThreadState & { loadEarlier(): void; addMessage(m: Message): void; applyStatus(p: Pick<Message, 'id' | 'status' | 'failureReason'> & Partial<Message>): void };
  layout: Layout;
  me: Me;
  capabilities: ReadonlySet<string>;
  staff: StaffMember[];
  quickMessages: QuickMessage[];
  detailsOpen: boolean;
  onBack(): void;
  onToggleDetails(): void;
  /** Inside another page (customer profile, work-order Messages tab): no back button, details toggle or link prompt. */
  embedded?: boolean;
};

export function Thread({ foundMessageId = null, state, layout, me, capabilities, staff, quickMessages, detailsOpen, onBack, onToggleDetails, embedded = false }: Props) {
  const { thread } = state;
  const scroller = useRef<HTMLDivElement>(null);
  const [retrying, setRetrying] = useState<string | null>(null);
  const [retryError, setRetryError] = useState<string | null>(null);
  const lastId = thread?.messages.at(-1)?.id;
  const firstId = thread?.messages[0]?.id;
  const prevFirst = useRef<string | undefined>(undefined);
  const prevHeight = useRef(0);

  // Stay at the bottom for new messages; keep the reading position when earlier ones load above.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (prevFirst.current && firstId !== prevFirst.current && lastId) {
      el.scrollTop = el.scrollHeight - prevHeight.current + el.scrollTop;
    } else {
      el.scrollTop = el.scrollHeight;
    }
    prevFirst.current = firstId;
    prevHeight.current = el.scrollHeight;
  }, [lastId, firstId, thread?.conversation.id]);
  // Whoever reads the newest message keeps seeing it when the pane changes size
  // (the details panel opening at 1024–1279 px, a banner appearing above the composer).
  // A callback ref, so the observer follows the element whenever React mounts a new one.
  const atBottom = useRef(true);
  const detach = useRef<(() => void) | null>(null);
  const attachScroller = useCallback((el: HTMLDivElement | null) => {
    scroller.current = el;
    detach.current?.();
    detach.current = null;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const onScroll = () => { atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24; };
    el.addEventListener('scroll', onScroll, { passive: true });
    const resized = new ResizeObserver(() => { if (atBottom.current) el.scrollTop = el.scrollHeight; });
    resized.observe(el);
    for (const child of Array.from(el.children)) resized.observe(child);
    detach.current = () => { el.removeEventListener('scroll', onScroll); resized.disconnect(); };
  }, []);
  useEffect(() => setRetryError(null), [thread?.conversation.id]);
  // From a search: show the message that matched.
  const hasFound = Boolean(foundMessageId && thread?.messages.some((m) => m.id === foundMessageId));
  useEffect(() => {
    if (!hasFound || !foundMessageId) return;
    scroller.current?.querySelector(`[data-message-id="${CSS.escape(foundMessageId)}"]`)?.scrollIntoView({ block: 'center' });
  }, [hasFound, foundMessageId, thread?.conversation.id]);
  // On phones the list disappears when a thread opens: move focus to the thread's heading.
  const heading = useRef<HTMLHeadingElement>(null);
  const conversationId = thread?.conversation.id;
  useEffect(() => {
    if (conversationId && layout === 'mobile') heading.current?.focus();
  }, [conversationId, layout]);
  useEffect(() => {
    if (!thread) return;
    document.title = `${rowName(thread.conversation)} · Messages · Torqueflow`;
    return () => { document.title = 'Messages · Torqueflow'; };
  }, [thread?.conversation.id, thread ? rowName(thread.conversation) : '']);

  if (state.status === 'error') {
    return (
      <section className="thread-pane" aria-label="Conversation">
        {layout === 'mobile' ? <BackBar onBack={onBack} /> : null}
        <p className="error-box" role="alert">{state.error}</p>
      </section>
    );
  }
  if (!thread) {
    return (
      <section className="thread-pane" aria-label="Conversation" aria-busy={state.status === 'loading'}>
        {layout === 'mobile' && state.status === 'loading' ? <BackBar onBack={onBack} /> : null}
        {state.status === 'loading' ? <div className="thread-loading">Loading conversation…</div> : <div className="thread-empty"><p>Select a conversation to read and reply.</p></div>}
      </section>
    );
  }

  const c = thread.conversation;
  const staffNames = new Map(staff.map((s) => [s.id, s.name]));
  const senderOf = (m: Message): string => {
    if (m.senderName) return m.senderName;
    if (m.direction === 'inbound') return rowName(c);
    if (m.aiGenerated) return 'AI receptionist';
    if (m.senderUserId) return m.senderUserId === me.id ? me.name : staffNames.get(m.senderUserId) ?? 'Staff';
    return 'Torqueflow';
  };
  const retry = async (id: string) => {
    setRetrying(id);
    setRetryError(null);
    try {
      const m = await retryMessage(id);
      if (m && typeof m === 'object' && 'id' in m) state.applyStatus({ ...m, status: 'pending' });
    } catch (e) {
      setRetryError(e instanceof Error ? e.message : 'Could not retry.');
    } finally {
      setRetrying(null);
    }
  };

  return (
    <section className="thread-pane" aria-label={`Conversation with ${rowName(c)}`} data-conversation-id={c.id}>
      <header className="thread-header">
        {layout === 'mobile' && !embedded ? (
          <button type="button" className="icon-button back" onClick={onBack} aria-label="Back to conversations">
            <ChevronLeftIcon />
          </button>
        ) : null}
        <div className="thread-title">
          <h2 ref={heading} tabIndex={-1}>{rowName(c)}</h2>
          <div className="thread-badges">
            <ChannelBadge channel={c.lastChannel} />
            {showsWindowPill(c.lastChannel, thread.messages.map((m) => m.channel)) ? <WindowIndicator window={c.whatsappWindow} /> : null}
          </div>
        </div>
        {capabilities.has('calls.manage') ? <CallButton conversationId={c.id} /> : null}
        {layout === 'medium' && !embedded ? (
          <button type="button" className="icon-button" onClick={onToggleDetails} aria-label={detailsOpen ? 'Hide details' : 'Show details'} aria-expanded={detailsOpen} aria-controls="details-panel">
            <PanelIcon />
          </button>
        ) : null}
        {(layout === 'mobile' || layout === 'tablet') && !embedded ? (
          <button type="button" className="icon-button" onClick={onToggleDetails} aria-label="Conversation details" aria-expanded={detailsOpen} aria-controls="details-panel">
            <InfoIcon />
          </button>
        ) : null}
      </header>
      {c.needsWorkOrderPick && !c.workOrder && layout !== 'wide' && !embedded ? (
        <p className="thread-hint">
          Pick a work order to link
          <button type="button" className="btn btn-small btn-quiet" onClick={onToggleDetails}>Open details</button>
        </p>
      ) : null}
      <div className="thread-scroll" ref={attachScroller}>
        {thread.earlierCursor ? (
          <div className="load-earlier">
            <button type="button" className="btn btn-small" onClick={state.loadEarlier} disabled={state.loadingEarlier}>
              {state.loadingEarlier ? 'Loading…' : 'Load earlier messages'}
            </button>
          </div>
        ) : null}
        <ol className="entries" role="log" aria-label="Messages" aria-live="polite">
          {thread.messages.map((m) => (m.channel === 'voice' || m.call
            ? <CallCard key={m.id} message={m} />
            : <MessageItem key={m.id} message={m} sender={senderOf(m)} onRetry={retry} retrying={retrying === m.id} found={m.id === foundMessageId} canRetry={capabilities.has('messages.send')} />))}
        </ol>
        {retryError ? <p className="error-box" role="alert">{retryError}</p> : null}
      </div>
      <Composer key={c.id} thread={thread} capabilities={capabilities} quickMessages={quickMessages}
        onSent={(ms) => ms.forEach(state.addMessage)} />
    </section>
  );
}

function BackBar({ onBack }: { onBack(): void }) {
  return (
    <header className="thread-header">
      <button type="button" className="icon-button back" onClick={onBack} aria-label="Back to conversations"><ChevronLeftIcon /></button>
    </header>
  );
}
