/** The conversation, oldest to newest, with "Load earlier messages" and receipts. */
import { useEffect, useRef } from 'react';
import { Bubble } from '../src/shared/Bubble';
import { zonedMessageTime } from '../src/shared/zoned-time';
import type { PortalMessage } from './api';

function receiptText(m: PortalMessage, timeZone: string): string | null {
  if (m.mine) return m.receipt === 'read' && m.readAt ? `Read ${zonedMessageTime(m.readAt, timeZone)}` : 'Delivered';
  return m.receipt === 'failed' ? 'Not delivered to your phone' : null;
}

export function Thread({ messages, timeZone, hasEarlier, loadingEarlier, onLoadEarlier }: {
  messages: PortalMessage[] | null; timeZone: string; hasEarlier: boolean; loadingEarlier: boolean; onLoadEarlier(): void;
}) {
  const end = useRef<HTMLDivElement>(null);
  const last = messages?.[messages.length - 1]?.id;
  useEffect(() => { end.current?.scrollIntoView({ block: 'end' }); }, [last]);
  if (!messages) return <p className="muted" role="status">Loading your messages…</p>;
  return (
    <section className="thread" aria-label="Conversation">
      {hasEarlier ? (
        <button type="button" className="link-button earlier" onClick={onLoadEarlier} disabled={loadingEarlier}>
          {loadingEarlier ? 'Loading…' : 'Load earlier messages'}
        </button>
      ) : null}
      {messages.length === 0 ? <p className="muted">No messages yet. Write to the garage below.</p> : null}
      <ol className="bubbles">
        {messages.map((m) => {
          const receipt = receiptText(m, timeZone);
          return (
            <Bubble key={m.id} id={m.id} mine={m.mine} sender={m.senderName} time={zonedMessageTime(m.occurredAt, timeZone)} isoTime={m.occurredAt}
              channel={m.channel} channelLabel={m.channelLabel} body={m.body} photos={m.media} failed={m.receipt === 'failed'}
              footer={receipt ? <span className={`receipt receipt-${m.receipt}`} data-receipt={m.receipt}>{receipt}</span> : undefined} />
          );
        })}
      </ol>
      <div ref={end} />
    </section>
  );
}
