/**
 * One conversation's thread: the latest messages, "Load earlier messages",
 * the reply options, and live updates (new messages merge in, status pills
 * move forward as callbacks arrive). Opening it marks it read.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchThread, markRead } from '../api/inbox';
import type { Message, MessageEventPayload, Thread } from '../api/types';
import { laterStatus, mergeMessages } from '../lib/merge';
import { useInboxEvents } from './useEventStream';
import { ApiError } from '../api/client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What staff see for an address whose conversation id is malformed or unknown (never the validator's raw text). */
export const BAD_CONVERSATION_LINK = 'This conversation link is not valid or the conversation no longer exists. Pick a conversation from the list.';

function threadError(e: unknown): string {
  if (e instanceof ApiError && (e.code === 'validation_failed' || e.status === 404)) return BAD_CONVERSATION_LINK;
  return e instanceof Error ? e.message : 'Could not load this conversation.';
}

export type ThreadState = {
  thread: Thread | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  loadingEarlier: boolean;
};

export function useThread(conversationId: string | null, onRead: (id: string) => void) {
  const [state, setState] = useState<ThreadState>({ thread: null, status: 'idle', error: null, loadingEarlier: false });
  const current = useRef(conversationId);
  current.current = conversationId;
  const onReadRef = useRef(onRead);
  onReadRef.current = onRead;

  const read = useCallback((id: string) => {
    onReadRef.current(id);
    markRead(id).catch(() => undefined);
  }, []);

  useEffect(() => {
    if (!conversationId) {
      setState({ thread: null, status: 'idle', error: null, loadingEarlier: false });
      return;
    }
    if (!UUID.test(conversationId)) {
      setState({ thread: null, status: 'error', error: BAD_CONVERSATION_LINK, loadingEarlier: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ thread: s.thread?.conversation.id === conversationId ? s.thread : null, status: 'loading', error: null, loadingEarlier: false }));
    fetchThread(conversationId, null, controller.signal)
      .then((thread) => {
        setState({ thread, status: 'ready', error: null, loadingEarlier: false });
        read(conversationId);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setState({ thread: null, status: 'error', error: threadError(e), loadingEarlier: false });
      });
    return () => controller.abort();
  }, [conversationId, read]);

  const loadEarlier = useCallback(async () => {
    const t = state.thread;
    if (!t?.earlierCursor || state.loadingEarlier) return;
    const id = t.conversation.id;
    setState((s) => ({ ...s, loadingEarlier: true }));
    try {
      const page = await fetchThread(id, t.earlierCursor);
      setState((s) => (s.thread?.conversation.id !== id ? s : {
        ...s, loadingEarlier: false,
        thread: { ...s.thread, messages: mergeMessages(page.messages, s.thread.messages), earlierCursor: page.earlierCursor },
      }));
    } catch (e) {
      setState((s) => ({ ...s, loadingEarlier: false, error: e instanceof Error ? e.message : 'Could not load earlier messages.' }));
    }
  }, [state.thread, state.loadingEarlier]);

  /** Fetch the latest page again and merge it (new messages, conversation details, reply options). */
  const refreshLatest = useCallback(async () => {
    const id = current.current;
    if (!id) return;
    try {
      const latest = await fetchThread(id);
      setState((s) => (s.thread?.conversation.id !== id || current.current !== id ? s : {
        ...s, thread: { ...latest, messages: mergeMessages(s.thread.messages, latest.messages), earlierCursor: s.thread.earlierCursor },
      }));
      return latest;
    } catch {
      return null;
    }
  }, []);

  /** Show a message at once (a reply just sent), before the live event confirms it. */
  const addMessage = useCallback((m: Message) => {
    setState((s) => (!s.thread || s.thread.conversation.id !== m.conversationId ? s : { ...s, thread: { ...s.thread, messages: mergeMessages(s.thread.messages, [m]) } }));
  }, []);

  const applyStatus = useCallback((p: MessageEventPayload) => {
    setState((s) => {
      if (!s.thread) return s;
      let changed = false;
      const messages = s.thread.messages.map((m) => {
        if (m.id !== p.id) return m;
        const status = laterStatus(m.status, p.status) as Message['status'];
        if (status === m.status && p.failureReason === m.failureReason) return m;
        changed = true;
        return { ...m, status, failureReason: status === 'failed' || status === 'rejected' ? p.failureReason ?? m.failureReason : m.failureReason, body: p.body ?? m.body };
      });
      return changed ? { ...s, thread: { ...s.thread, messages } } : s;
    });
  }, []);

  /** A message's photos were downloaded (or found unavailable): take the event's media. */
  const applyMedia = useCallback((p: MessageEventPayload) => {
    if (!p.media) return;
    setState((s) => s.thread
      ? { ...s, thread: { ...s.thread, messages: s.thread.messages.map((m) => (m.id === p.id ? { ...m, media: p.media! } : m)) } }
      : s);
  }, []);

  const refreshTimer = useRef<number | undefined>(undefined);
  const scheduleRefresh = useCallback((thenRead: boolean) => {
    window.clearTimeout(refreshTimer.current);
    refreshTimer.current = window.setTimeout(async () => {
      const latest = await refreshLatest();
      const id = current.current;
      if (thenRead && id && latest && latest.conversation.unreadCount > 0) read(id);
    }, 150);
  }, [refreshLatest, read]);
  useEffect(() => () => window.clearTimeout(refreshTimer.current), []);

  useInboxEvents((event) => {
    const id = current.current;
    if (!id) return;
    if (event.type === 'resync') return scheduleRefresh(false);
    if (event.conversationId !== id) return;
    const payload = event.payload as unknown as MessageEventPayload;
    switch (event.type) {
      case 'message.created':
        scheduleRefresh(payload.direction === 'inbound');
        break;
      case 'message.status':
      case 'approval.decided':
        applyStatus(payload);
        break;
      case 'message.media':
        applyMedia(payload);
        break;
      case 'conversation.assigned':
      case 'conversation.work_order':
      case 'call.updated':
      case 'call.moved':
        scheduleRefresh(false);
        break;
      default:
        break;
    }
  }, () => scheduleRefresh(true));

  return { ...state, loadEarlier, refreshLatest, addMessage, applyStatus };
}
