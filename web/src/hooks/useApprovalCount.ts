/** How many replies wait in the Approval Queue (for the sub-nav badge), kept live; null without messages.approve. */
import { useCallback, useEffect, useState } from 'react';
import { fetchApprovals } from '../api/inbox';
import { useInboxEvents } from './useEventStream';

export function useApprovalCount(enabled: boolean): number | null {
  const [count, setCount] = useState<number | null>(null);
  const load = useCallback(() => {
    if (!enabled) return;
    fetchApprovals().then((r) => setCount(r.approvals.length), () => undefined);
  }, [enabled]);
  useEffect(load, [load]);
  useInboxEvents((e) => {
    if (e.type === 'approval.requested' || e.type === 'approval.decided' || e.type === 'resync') load();
  }, load);
  return enabled ? count : null;
}
