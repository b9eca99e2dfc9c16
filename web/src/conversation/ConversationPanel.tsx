/**
 * One conversation's thread view and composer — the same components as the
 * inbox (inbox/Thread, inbox/Composer), backed by the same conversation and
 * live events — for the customer profile and the work-order Messages tab.
 * Replies default to the channel the customer last used (the thread's reply options).
 */
import { fetchQuickMessages, fetchStaff } from '../api/inbox';
import type { QuickMessage, StaffMember } from '../api/types';
import { useLayout } from '../hooks/useMediaQuery';
import { useOnce } from '../hooks/useOnce';
import { useThread } from '../hooks/useThread';
import { Thread } from '../inbox/Thread';
import { useSession } from '../shell/me-context';

const NO_STAFF: StaffMember[] = [];
const NO_QUICK: QuickMessage[] = [];
const ignore = () => undefined;

export function ConversationPanel({ conversationId }: { conversationId: string }) {
  const { me, capabilities } = useSession();
  const thread = useThread(conversationId, ignore);
  const staff = useOnce('staff', fetchStaff, NO_STAFF);
  const quickMessages = useOnce('quick-messages', fetchQuickMessages, NO_QUICK);
  const layout = useLayout();
  return (
    <div className="conversation-panel">
      <Thread state={thread} layout={layout} me={me} capabilities={capabilities} staff={staff} quickMessages={quickMessages}
        detailsOpen={false} onBack={ignore} onToggleDetails={ignore} embedded />
    </div>
  );
}
