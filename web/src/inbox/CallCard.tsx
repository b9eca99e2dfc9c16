/**
 * A voice call in the thread (spec: messaging-inbox.txt, "Voice calls appear
 * inline as a call card showing duration, outcome … Tap the card to open the
 * full call detail page"): direction, duration, outcome, a play control for
 * the downloaded recording, the transcript's first lines.
 */
import type { Message } from '../api/types';
import { useNavigate } from 'react-router';
import { PhoneCallIcon } from '../shell/icons';
import { duration, messageTime } from '../lib/time';

export const CALL_OUTCOMES: Record<string, string> = { answered: 'Answered', missed: 'Missed', voicemail: 'Voicemail', escalation: 'Escalated', errored: 'Failed' };

/** "Voicemail", "Answered", or the live state. */
export function callOutcomeLabel(call: NonNullable<Message['call']>): string {
  if (call.state === 'ringing') return 'Ringing';
  if (call.state === 'in-progress') return 'In progress';
  return call.outcome ? CALL_OUTCOMES[call.outcome] ?? call.outcome : 'Ended';
}

export function CallCard({ message }: { message: Message }) {
  const call = message.call;
  const navigate = useNavigate();
  const inbound = message.direction === 'inbound';
  const open = call?.callId ? () => void navigate(`/calls/${call.callId}`) : null;
  return (
    <li className={`entry ${inbound ? 'inbound' : 'outbound'}`} data-message-id={message.id}>
      <article className={`call-card${call?.awaitingResolution ? ' unresolved' : ''}`} aria-label={`${inbound ? 'Inbound' : 'Outbound'} call`}>
        <span className="call-icon"><PhoneCallIcon size={18} /></span>
        <div className="call-main">
          <p className="call-title">
            {open
              ? <button type="button" className="link-button" onClick={open}>{inbound ? 'Incoming call' : 'Outgoing call'}</button>
              : <span>{inbound ? 'Incoming call' : 'Outgoing call'}</span>}
            {call ? <span className={`call-outcome outcome-${call.outcome ?? call.state}`}> · {callOutcomeLabel(call)}</span> : null}
          </p>
          <p className="meta">
            {call?.durationSeconds != null && call.state === 'ended' ? <span>Duration {duration(call.durationSeconds)}</span> : null}
            <time dateTime={message.occurredAt}>{messageTime(message.occurredAt)}</time>
            {call?.awaitingResolution ? <span className="call-flag">Needs follow-up</span> : null}
          </p>
          {call?.hasRecording && call.callId
            ? <audio className="call-audio" controls preload="none" src={`/v1/calls/${call.callId}/recording`} aria-label="Play recording" />
            : null}
          {call?.transcriptExcerpt ? <p className="call-transcript">“{call.transcriptExcerpt}”</p> : null}
          {open ? <button type="button" className="btn btn-small btn-quiet" onClick={open}>Open call</button> : null}
        </div>
      </article>
    </li>
  );
}
