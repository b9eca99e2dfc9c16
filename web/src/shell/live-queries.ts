/**
 * Live events invalidate cached server state (lib/stale-queries.ts names
 * which), and everything is refetched after the stream reconnects (events
 * may have been missed). Mounted once by the shell.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useInboxEvents } from '../hooks/useEventStream';
import { staleKeys } from '../lib/stale-queries';

export function useLiveQueryInvalidation(): void {
  const client = useQueryClient();
  useInboxEvents(
    (e) => { for (const queryKey of staleKeys(e)) void client.invalidateQueries({ queryKey }); },
    () => void client.invalidateQueries(),
  );
}
