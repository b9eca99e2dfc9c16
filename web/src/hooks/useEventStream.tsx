/**
 * One live connection to `GET /v1/events` (Server-Sent Events, same-origin
 * cookie) shared by the whole app. Components subscribe to events; the
 * browser's EventSource reconnects by itself and resumes with Last-Event-ID,
 * so missed events are replayed by the server. If the stream stays down for
 * an extended period the app shows the "Real-time updates paused" banner
 * (messaging-inbox.txt); when it comes back, subscribers are told (`onReconnect`)
 * so they can reload what they show.
 */
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { InboxEvent, InboxEventType } from '../api/types';

const EVENT_TYPES: InboxEventType[] = [
  'message.created', 'message.status', 'conversation.read', 'conversation.assigned',
  'conversation.work_order', 'approval.requested', 'approval.decided', 'message.media', 'call.updated', 'call.moved', 'resync',
  'settings.quick_messages', 'settings.templates',
];

/** How long the stream may be down before the banner shows (ms); tests may shorten it. */
function pausedAfterMs(): number {
  const override = Number(window.localStorage.getItem('tf.realtimePausedAfterMs'));
  return Number.isFinite(override) && override > 0 ? override : 20_000;
}

type Listener = (event: InboxEvent) => void;
type ReconnectListener = () => void;

export type EventStream = {
  /** connected: receiving; connecting: (re)connecting; paused: down for an extended period */
  state: 'connecting' | 'connected' | 'paused';
  subscribe(listener: Listener): () => void;
  onReconnect(listener: ReconnectListener): () => void;
};

const Ctx = createContext<EventStream | null>(null);

export function EventStreamProvider({ children, url = '/v1/events' }: { children: ReactNode; url?: string }) {
  const listeners = useRef(new Set<Listener>());
  const reconnectListeners = useRef(new Set<ReconnectListener>());
  const [state, setState] = useState<EventStream['state']>('connecting');

  useEffect(() => {
    let source: EventSource | null = null;
    let lastId: string | null = null;
    let downSince: number | null = Date.now();
    let wasDown = false;
    let retryTimer: number | undefined;
    let stopped = false;

    const pauseTimer = window.setInterval(() => {
      if (downSince !== null && Date.now() - downSince >= pausedAfterMs()) setState('paused');
    }, 1000);

    const dispatch = (msg: MessageEvent<string>) => {
      if (msg.lastEventId) lastId = msg.lastEventId;
      let event: InboxEvent;
      try {
        event = JSON.parse(msg.data) as InboxEvent;
      } catch {
        return;
      }
      if (!event.type) event.type = msg.type as InboxEventType;
      for (const l of listeners.current) l(event);
    };

    const connect = () => {
      if (stopped) return;
      // A new EventSource cannot set Last-Event-ID itself: pass the cursor in the query too.
      const target = lastId ? `${url}?lastEventId=${encodeURIComponent(lastId)}` : url;
      source = new EventSource(target, { withCredentials: true });
      source.onopen = () => {
        downSince = null;
        setState('connected');
        // Back after an outage (or connected late): whatever was missed is reloaded.
        if (wasDown) for (const l of reconnectListeners.current) l();
        wasDown = false;
      };
      source.onerror = () => {
        if (downSince === null) downSince = Date.now();
        wasDown = true;
        setState((s) => (s === 'paused' ? s : 'connecting'));
        if (source && source.readyState === EventSource.CLOSED) {
          // The server refused or ended the stream for good: try again ourselves.
          source = null;
          retryTimer = window.setTimeout(connect, 3000);
        }
      };
      for (const type of EVENT_TYPES) source.addEventListener(type, dispatch as EventListener);
      source.onmessage = dispatch;
    };
    connect();
    return () => {
      stopped = true;
      window.clearInterval(pauseTimer);
      window.clearTimeout(retryTimer);
      source?.close();
    };
  }, [url]);

  const stable = useMemo(() => ({
    subscribe(listener: Listener) {
      listeners.current.add(listener);
      return () => { listeners.current.delete(listener); };
    },
    onReconnect(listener: ReconnectListener) {
      reconnectListeners.current.add(listener);
      return () => { reconnectListeners.current.delete(listener); };
    },
  }), []);
  const value = useMemo<EventStream>(() => ({ ...stable, state }), [stable, state]);

  return <Ctx.Provider value={value}><div className="realtime-state" data-realtime={state} hidden />{children}</Ctx.Provider>;
}

export function useEventStream(): EventStream {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useEventStream outside EventStreamProvider');
  return ctx;
}

/** Call `handler` for every live event (the latest handler, without resubscribing). */
export function useInboxEvents(handler: (event: InboxEvent) => void, onReconnect?: () => void): void {
  const { subscribe, onReconnect: reconnect } = useEventStream();
  const h = useRef(handler);
  const r = useRef(onReconnect);
  h.current = handler;
  r.current = onReconnect;
  useEffect(() => subscribe((e) => h.current(e)), [subscribe]);
  useEffect(() => reconnect(() => r.current?.()), [reconnect]);
}
