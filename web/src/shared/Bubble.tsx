/**
 * One message bubble: own messages right, the other side's left; sender,
 * time, channel, body, photos and a footer (receipt, failure indicator).
 */
import type { ReactNode } from 'react';
import { ChannelTag } from './ChannelTag';
import { Thumbnails, type Photo } from './Thumbnails';
import { LinkedText } from './LinkedText';

export type BubbleProps = {
  id: string;
  mine: boolean;
  sender: string;
  time: string;
  isoTime: string;
  channel: string;
  channelLabel: string;
  body: string;
  photos: Photo[];
  footer?: ReactNode;
  failed?: boolean;
};

export function Bubble(p: BubbleProps) {
  return (
    <li className={`bubble-row ${p.mine ? 'mine' : 'theirs'}${p.failed ? ' failed' : ''}`} data-message-id={p.id}>
      <article className="bubble" aria-label={`${p.mine ? 'You' : p.sender}, ${p.time}`}>
        <header className="bubble-meta">
          <span className="sender">{p.sender}</span>
          <time dateTime={p.isoTime}>{p.time}</time>
          <ChannelTag channel={p.channel} label={p.channelLabel} />
        </header>
        {p.body ? <LinkedText className="bubble-text" body={p.body} /> : null}
        <Thumbnails photos={p.photos} />
        {p.footer ? <footer className="bubble-foot">{p.footer}</footer> : null}
      </article>
    </li>
  );
}
