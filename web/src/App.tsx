/** The staff Messages app: header, sub-nav tabs, and the Inbox, Approval Queue or AI Analytics tab. */
import { useEffect, useMemo, useState } from 'react';
import type { Me } from './api/types';
import { ApprovalQueue } from './approvals/ApprovalQueue';
import { EventStreamProvider } from './hooks/useEventStream';
import { useLocation } from './hooks/useLocation';
import { useApprovalCount } from './hooks/useApprovalCount';
import { InboxPage } from './inbox/InboxPage';
import { parseInboxUrl, type Tab } from './lib/url-state';
import { AnalyticsPanel } from './shell/AnalyticsPanel';
import { AppHeader } from './shell/AppHeader';
import { loadMe } from './shell/bootstrap';
import { RealtimeBanner } from './shell/RealtimeBanner';
import { SubNav } from './shell/SubNav';

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadMe().then(setMe, (e: unknown) => setError(e instanceof Error ? e.message : 'Could not load your account.'));
  }, []);
  const loc = useLocation();
  const capabilities = useMemo(() => new Set(me?.capabilities ?? []), [me]);
  const requested: Tab = parseInboxUrl(loc.pathname, loc.search).tab;
  const showApprovals = capabilities.has('messages.approve');
  const showAnalytics = Boolean(me?.aiEnabled) && capabilities.has('ai.analytics.view');
  const tab: Tab = (requested === 'approvals' && !showApprovals) || (requested === 'analytics' && !showAnalytics) ? 'inbox' : requested;

  return (
    <EventStreamProvider>
      <Shell me={me} error={error} tab={tab} showApprovals={showApprovals} showAnalytics={showAnalytics} capabilities={capabilities}
        onTab={(t) => loc.navigate(t === 'inbox' ? '/messages' : `/messages/${t}`)} />
    </EventStreamProvider>
  );
}

type ShellProps = { me: Me | null; error: string | null; tab: Tab; showApprovals: boolean; showAnalytics: boolean; capabilities: ReadonlySet<string>; onTab(t: Tab): void };

/** Inside the event stream: the header, tabs (with the live queue count) and the tab's content. */
function Shell({ me, error, tab, showApprovals, showAnalytics, capabilities, onTab }: ShellProps) {
  const approvalCount = useApprovalCount(showApprovals);
  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to content</a>
      <AppHeader me={me} />
      <SubNav tab={tab} showApprovals={showApprovals} showAnalytics={showAnalytics} approvalCount={approvalCount} onTab={onTab} />
      <RealtimeBanner />
      <main id="main" className={`main tab-${tab}`} tabIndex={-1}>
        {error ? <p className="error-box" role="alert">{error}</p> : null}
        {me && tab === 'inbox' ? <InboxPage me={me} capabilities={capabilities} /> : null}
        {me && tab === 'approvals' ? <ApprovalQueue /> : null}
        {me && tab === 'analytics' ? <AnalyticsPanel /> : null}
      </main>
    </div>
  );
}
