/** The Messages section: its sub-nav (Inbox, Approval Queue, AI Analytics) and the tab the path names. */
import { useNavigate, useLocation } from 'react-router';
import { ApprovalQueue } from '../approvals/ApprovalQueue';
import { useApprovalCount } from '../hooks/useApprovalCount';
import { InboxPage } from '../inbox/InboxPage';
import { parseInboxUrl, type Tab } from '../lib/url-state';
import { AnalyticsPanel } from '../shell/AnalyticsPanel';
import { AiCreditNotice } from '../ai/AiCreditNotice';
import { useSession } from '../shell/me-context';
import { SubNav } from '../shell/SubNav';

export function MessagesSection() {
  const { me, capabilities } = useSession();
  const loc = useLocation();
  const navigate = useNavigate();
  const requested: Tab = parseInboxUrl(loc.pathname, loc.search).tab;
  const showApprovals = capabilities.has('messages.approve');
  const showAnalytics = Boolean(me.aiEnabled) && capabilities.has('ai.analytics.view');
  const tab: Tab = (requested === 'approvals' && !showApprovals) || (requested === 'analytics' && !showAnalytics) ? 'inbox' : requested;
  const approvalCount = useApprovalCount(showApprovals);
  return (
    <>
      <SubNav tab={tab} showApprovals={showApprovals} showAnalytics={showAnalytics} approvalCount={approvalCount}
        onTab={(t) => void navigate(t === 'inbox' ? '/messages' : `/messages/${t}`)} />
      <main id="main" className={`main tab-${tab}`} tabIndex={-1}>
        {tab === 'inbox' && me.aiEnabled ? <AiCreditNotice /> : null}
        {tab === 'inbox' ? <InboxPage me={me} capabilities={capabilities} /> : null}
        {tab === 'approvals' ? <ApprovalQueue /> : null}
        {tab === 'analytics' ? <AnalyticsPanel /> : null}
      </main>
    </>
  );
}
