/** Tabs under the header: Inbox always; Approval Queue with messages.approve; AI Analytics when AI is on. */
import type { Tab } from '../lib/url-state';

type Props = { tab: Tab; showApprovals: boolean; showAnalytics: boolean; approvalCount: number | null; onTab(tab: Tab): void };

const HREF: Record<Tab, string> = { inbox: '/messages', approvals: '/messages/approvals', analytics: '/messages/analytics' };
const LABEL: Record<Tab, string> = { inbox: 'Inbox', approvals: 'Approval Queue', analytics: 'AI Analytics' };

export function SubNav({ tab, showApprovals, showAnalytics, approvalCount, onTab }: Props) {
  const tabs: Tab[] = ['inbox', ...(showApprovals ? (['approvals'] as const) : []), ...(showAnalytics ? (['analytics'] as const) : [])];
  return (
    <nav className="subnav" aria-label="Messages sections">
      <ul>
        {tabs.map((t) => (
          <li key={t}>
            <a href={HREF[t]} aria-current={tab === t ? 'page' : undefined}
              onClick={(e) => {
                if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                e.preventDefault();
                onTab(t);
              }}>
              <span className="nav-label">{LABEL[t]}</span>
              {t === 'approvals' && approvalCount ? <span className="nav-count" aria-label={`, ${approvalCount} waiting`}>{approvalCount}</span> : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
