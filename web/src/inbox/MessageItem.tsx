/** One thread entry: inbound left, outbound right, system entries centred; sender, time, channel and status. */
import type { Message } from '../api/types';
import { messageTime } from '../lib/time';
import { CHANNEL_NAMES, ChannelIcon } from './ChannelIcon';
import { StatusPill } from './StatusPill';
import { MessageMedia } from '../media/MessageMedia';
import { LinkedText } from '../shared/LinkedText';

const REASONS: Record<string, string> = {
  window_expired_bridge_sent: 'The WhatsApp window had closed: a bridge SMS was sent instead.',
  window_expired_bridge_recently_sent: 'The WhatsApp window had closed and a bridge SMS was sent recently: nothing was sent.',
  window_expired_no_phone: 'The WhatsApp window had closed and the customer has no phone number for a bridge SMS.',
  window_expired_sms_opted_out: 'The WhatsApp window had closed and the customer has opted out of SMS.',
  window_expired_no_sms_number: 'The WhatsApp window had closed and the garage has no SMS number.',
  window_expired_consent_blocked: 'The WhatsApp window had closed and the customer\'s consent does not allow a bridge SMS for this message.',
};

/** `canRetry`: the viewer holds messages.send (technicians do not: they are not offered Retry). */
export function MessageItem({ message, sender, onRetry, retrying, found = false, canRetry }: { message: Message; sender: string; onRetry(id: string): void; retrying: boolean; found?: boolean; canRetry: boolean }) {
  if (message.direction === 'internal') {
    return (
      <li className="entry system" data-message-id={message.id}>
        <p><span>{message.body}</span> <time dateTime={message.occurredAt}>{messageTime(message.occurredAt)}</time></p>
      </li>
    );
  }
  const inbound = message.direction === 'inbound';
  const failedByProvider = message.status === 'failed' && !message.failureReason?.startsWith('window_expired');
  return (
    <li className={`entry ${inbound ? 'inbound' : 'outbound'}${found ? ' found' : ''}${message.aiGenerated && !inbound ? ' ai' : ''}`} data-message-id={message.id}>
      <article className="bubble" aria-label={`${inbound ? 'From' : 'Sent by'} ${sender}`}>
        <header className="bubble-meta">
          <span className="sender">{sender}</span>
          {message.aiGenerated && !inbound ? <span className="ai-mark" title="Written by the AI receptionist">AI</span> : null}
          <time dateTime={message.occurredAt}>{messageTime(message.occurredAt)}</time>
          <span className="via"><ChannelIcon channel={message.channel} size={13} decorative />{CHANNEL_NAMES[message.channel]}</span>
        </header>
        {message.body ? <LinkedText className="bubble-body" body={message.body} /> : null}
        <MessageMedia media={message.media} />
        {!inbound && message.status ? (
          <footer className="bubble-status">
            <StatusPill status={message.status} />
            {failedByProvider && canRetry ? (
              <button type="button" className="btn btn-small" onClick={() => onRetry(message.id)} disabled={retrying}>
                {retrying ? 'Retrying…' : 'Retry'}
              </button>
            ) : null}
          </footer>
        ) : null}
        {message.status === 'failed' && message.failureReason ? <p className="reason">{REASONS[message.failureReason] ?? message.failureReason}</p> : null}
        {message.status === 'rejected' && message.failureReason ? <p className="reason">Rejected: {message.failureReason}</p> : null}
      </article>
    </li>
  );
}
