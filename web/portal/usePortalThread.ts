/**
 * The customer's thread and unread badge, kept live by the portal's event
 * stream (`/portal/api/events`; EventSource resumes with Last-Event-ID by
 * itself). A new or changed message is read through the API (which applies
 * what a customer may see); the garage reading the thread marks the
 * customer's own messages read; while the customer is looking at the thread,
 * garage messages are marked seen at once.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type PortalMessage } from './api';

const byTime = (a: PortalMessage, b: PortalMessage) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id);

function upsert(list: PortalMessage[], m: PortalMessage): PortalMessage[] {
  const i = list.findIndex((x) => x.id === m.id);
  if (i >= 0) return list.map((x) => (x.id === m.id ? m : x));
  return [...list, m].sort(byTime);
}

export function usePortalThread(viewingThread: boolean, initialUnread: number) {
  const [messages, setMessages] = useState<PortalMessage[] | null>(null);
  const [earlier, setEarlier] = useState<string | null>(null);
  const [unread, setUnread] = useState(initialUnread);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const viewing = useRef(viewingThread);
  viewing.current = viewingThread;

  const markSeen = useCallback(async () => {
    if (!viewing.current || document.visibilityState !== 'visible') return;
    setUnread((await api.read()).unreadCount);
  }, []);

  const reload = useCallback(async () => {
    const page = await api.messages();
    setMessages(page.messages);
    setEarlier(page.earlierCursor);
    await markSeen();
  }, [markSeen]);

  useEffect(() => { void reload(); }, [reload]);
  useEffect(() => { if (viewingThread) void markSeen(); }, [viewingThread, markSeen]);
  useEffect(() => {
    const onVisible = () => void markSeen();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [markSeen]);

  useEffect(() => {
    const source = new EventSource('/portal/api/events');
    // One event at a time, in stream order: a slow read of a message's first
    // state must not land after (and undo) the read of its next status.
    let applying = Promise.resolve();
    const onMessage = (e: MessageEvent<string>) => { applying = applying.then(() => apply(e)); };
    const apply = async (e: MessageEvent<string>) => {
      const data = JSON.parse(e.data) as { payload: { messageId?: string } };
      if (!data.payload.messageId) return;
      try {
        const m = await api.message(data.payload.messageId);
        setMessages((list) => (list ? upsert(list, m) : list));
        if (!m.mine) {
          if (viewing.current && document.visibilityState === 'visible') await markSeen();
          else setUnread((await api.me()).unreadCount);
        }
      } catch {
        // not the customer's to see (any more): nothing to show
      }
    };
    source.addEventListener('message.created', onMessage);
    source.addEventListener('message.status', onMessage);
    source.addEventListener('conversation.read', () => {
      const at = new Date().toISOString();
      setMessages((list) => list && list.map((m) => (m.mine && m.receipt !== 'read' ? { ...m, receipt: 'read', readAt: at } : m)));
    });
    source.addEventListener('resync', () => void reload());
    return () => source.close();
  }, [markSeen, reload]);

  const loadEarlier = useCallback(async () => {
    if (!earlier) return;
    setLoadingEarlier(true);
    try {
      const page = await api.messages(earlier);
      setMessages((list) => [...page.messages, ...(list ?? [])]);
      setEarlier(page.earlierCursor);
    } finally {
      setLoadingEarlier(false);
    }
  }, [earlier]);

  const added = useCallback((m: PortalMessage) => setMessages((list) => upsert(list ?? [], m)), []);

  return { messages, hasEarlier: earlier !== null, loadEarlier, loadingEarlier, unread, added };
}
