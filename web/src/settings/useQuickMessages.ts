/**
 * The garage's quick messages, kept current: fetched once, then refetched
 * whenever a `settings.quick_messages` event arrives (someone added, edited,
 * reordered or deleted one) or the event stream reconnects.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { QuickMessage } from '../api/types';
import { useInboxEvents } from '../hooks/useEventStream';
import { fetchQuickMessages } from '../api/inbox';

export function useQuickMessages(): { quickMessages: QuickMessage[]; reload(): void } {
  const [quickMessages, setList] = useState<QuickMessage[]>([]);
  const live = useRef(true);
  const reload = useCallback(() => { fetchQuickMessages().then((q) => { if (live.current) setList(q); }, () => {}); }, []);
  useEffect(() => {
    live.current = true;
    reload();
    return () => { live.current = false; };
  }, [reload]);
  useInboxEvents((e) => { if (e.type === 'settings.quick_messages') reload(); }, reload);
  return { quickMessages, reload };
}
