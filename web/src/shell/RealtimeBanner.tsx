/** The amber banner when live updates have been down for an extended period (messaging-inbox.txt). */
import { useEventStream } from '../hooks/useEventStream';
import { WarningIcon } from './icons';

export function RealtimeBanner() {
  const { state } = useEventStream();
  if (state !== 'paused') return null;
  return (
    <div className="realtime-banner" role="status">
      <WarningIcon size={18} />
      <p>Real-time updates paused — refresh the page to reload the latest conversations</p>
      <button type="button" className="btn btn-quiet" onClick={() => window.location.reload()}>Refresh</button>
    </div>
  );
}
