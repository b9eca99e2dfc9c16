/**
 * The customer portal (issue 11): the garage's name, a navigation bar with
 * Messages (unread badge, live) and Communication Preferences, and the two
 * pages at /portal and /portal/preferences.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, type Me } from './api';
import { Composer } from './Composer';
import { Preferences } from './Preferences';
import { Thread } from './Thread';
import { usePortalThread } from './usePortalThread';

type Page = 'messages' | 'preferences';
const pageOf = (path: string): Page => (path.startsWith('/portal/preferences') ? 'preferences' : 'messages');

function Portal({ me }: { me: Me }) {
  const [page, setPage] = useState<Page>(pageOf(window.location.pathname));
  const [toast, setToast] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const thread = usePortalThread(page === 'messages', me.unreadCount);
  useEffect(() => {
    const onPop = () => setPage(pageOf(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  useEffect(() => {
    if (!toast) return;
    const t = window.setTimeout(() => setToast(null), 4000);
    return () => window.clearTimeout(t);
  }, [toast]);
  const go = (p: Page) => (e: React.MouseEvent) => {
    e.preventDefault();
    window.history.pushState(null, '', p === 'messages' ? '/portal' : '/portal/preferences');
    setPage(p);
  };
  const onToast = useCallback((text: string, kind: 'ok' | 'error' = 'ok') => setToast({ text, kind }), []);
  return (
    <div className="portal">
      <header className="top">
        <h1>{me.orgName}</h1>
        <nav aria-label="Portal">
          <a href="/portal" aria-current={page === 'messages' ? 'page' : undefined} onClick={go('messages')}>
            Messages{thread.unread > 0 ? <span className="badge" aria-label={`${thread.unread} unread`}>{thread.unread}</span> : null}
          </a>
          {me.hasPreferences ? (
            <a href="/portal/preferences" aria-current={page === 'preferences' ? 'page' : undefined} onClick={go('preferences')}>Communication Preferences</a>
          ) : null}
        </nav>
      </header>
      <main>
        {page === 'messages' ? (
          <>
            <Thread messages={thread.messages} timeZone={me.timeZone} hasEarlier={thread.hasEarlier} loadingEarlier={thread.loadingEarlier} onLoadEarlier={() => void thread.loadEarlier()} />
            <Composer onSent={thread.added} />
          </>
        ) : <Preferences onToast={onToast} />}
      </main>
      <div className="toast-area" role="status" aria-live="polite">{toast ? <p className={`toast toast-${toast.kind}`}>{toast.text}</p> : null}</div>
    </div>
  );
}

export function PortalApp() {
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => { void api.me().then((m) => { document.title = `Messages · ${m.orgName}`; setMe(m); }); }, []);
  return me ? <Portal me={me} /> : <p className="muted" role="status">Loading…</p>;
}
