/** A voice call in the thread: duration, outcome, and links to its transcript and recording. */
import type { Message } from '../api/types';
import { PhoneCallIcon } from '../shell/icons';
import { duration, messageTime } from '../lib/time';

const OUTCOMES: Record<string, string> = { answered: 'Answered', missed: 'Missed', voicemail: 'Voicemail', ended: 'Ended', escalated: 'Escalated', errored: 'Error' };

export function CallCard({ message }: { message: Message }) {
  const call = message.call;
  const outcome = call?.outcome ? OUTCOMES[call.outcome] ?? call.outcome : null;
  const inbound = message.direction === 'inbound';
  return (
    <li className={`entry ${inbound ? 'inbound' : 'outbound'}`} data-message-id={message.id}>
      <article className="call-card" aria-label={`${inbound ? 'Inbound' : 'Outbound'} call`}>
        <span className="call-icon"><PhoneCallIcon size={18} /></span>
        <div>
          <p className="call-title">{inbound ? 'Incoming call' : 'Outgoing call'}{outcome ? ` · ${outcome}` : ''}</p>
          <p className="meta">
            {call?.durationSeconds != null ? <span>Duration {duration(call.durationSeconds)}</span> : null}
            <time dateTime={message.occurredAt}>{messageTime(message.occurredAt)}</time>
          </p>
          {message.body ? <p className="call-body">{message.body}</p> : null}
          <p className="call-links">
            {call?.transcriptUrl ? <a href={call.transcriptUrl}>Transcript</a> : <span className="muted">No transcript</span>}
            {call?.recordingUrl ? <a href={call.recordingUrl}>Recording</a> : <span className="muted">No recording</span>}
          </p>
        </div>
      </article>
    </li>
  );
}
