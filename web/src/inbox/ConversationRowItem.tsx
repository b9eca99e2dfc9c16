/** One row of the list: channel icon, name, preview, time and unread badge. */
import type { ConversationRow } from '../api/types';
import { rowTime } from '../lib/time';
import { ChannelIcon } from './ChannelIcon';

const BADGES = { general: 'General', booking: 'Booking', unknown: 'Unknown' } as const;

export function rowName(r: ConversationRow): string {
  return r.displayName ?? r.customer?.name ?? r.contactName ?? r.contactPhone ?? 'Unknown sender';
}

export function ConversationRowItem({ row, selected, highlighted, onOpen }: { row: ConversationRow; selected: boolean; highlighted: boolean; onOpen(id: string): void }) {
  const preview = row.match?.kind === 'message' && row.match.highlight.length
    ? row.match.highlight.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))
    : row.preview
      ? `${row.preview.direction === 'outbound' ? 'You: ' : ''}${row.preview.body}`
      : '';
  const unread = row.unreadCount > 0;
  return (
    <li className={`row${selected ? ' selected' : ''}${highlighted ? ' highlight' : ''}${unread ? ' unread' : ''}`} data-conversation-id={row.id}>
      <a href={`?conversation=${row.id}`} aria-current={selected ? 'true' : undefined}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          onOpen(row.id);
        }}>
        <ChannelIcon channel={row.lastChannel} />
        <span className="row-main">
          <span className="row-top">
            <span className="row-name">{rowName(row)}</span>
            {row.contextBadge ? <span className={`row-tag tag-${row.contextBadge}`}>{BADGES[row.contextBadge]}</span> : null}
            <span className="row-spacer" />
            <time className="row-time" dateTime={row.lastActivityAt}>{rowTime(row.lastActivityAt)}</time>
          </span>
          <span className="row-bottom">
            <span className="row-preview">{preview}</span>
            {unread ? <span className="unread-badge" aria-label={`${row.unreadCount} unread`}>{row.unreadCount}</span> : null}
          </span>
        </span>
      </a>
    </li>
  );
}
