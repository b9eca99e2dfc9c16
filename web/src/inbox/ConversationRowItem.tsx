/** One row of the list: channel icon, name, preview, time and unread badge. */
import type { ConversationRow } from '../api/types';
import { rowTime } from '../lib/time';
import { ChannelIcon } from './ChannelIcon';
import { useSession } from '../shell/me-context';

const BADGES = { general: 'General', booking: 'Booking', unknown: 'Unknown' } as const;

export function rowName(r: ConversationRow): string {
  return r.displayName ?? r.customer?.name ?? r.contactName ?? r.contactPhone ?? 'Unknown sender';
}

/**
 * Who wrote the previewed garage message, as its prefix: "You" for the
 * signed-in user's own, the staff member's name for a colleague's, "AI" for
 * the receptionist; automated messages get none.
 */
export function previewPrefix(preview: NonNullable<ConversationRow['preview']>, myId: string | null): string {
  const s = preview.sender;
  if (preview.direction !== 'outbound' || !s || s.kind === 'system') return '';
  if (s.kind === 'staff' && s.id === myId) return 'You: ';
  return s.name ? `${s.name}: ` : '';
}

export function ConversationRowItem({ row, selected, highlighted, onOpen }: { row: ConversationRow; selected: boolean; highlighted: boolean; onOpen(id: string): void }) {
  const { me } = useSession();
  const preview = row.match?.kind === 'message' && row.match.highlight.length
    ? row.match.highlight.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))
    : row.preview
      ? `${previewPrefix(row.preview, me.id)}${row.preview.body}`
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
            {row.customer?.registration ? <span className="row-registration" title="Vehicle registration">{row.customer.registration}</span> : null}
            {row.contextBadge ? <span className={`row-tag tag-${row.contextBadge}`}>{BADGES[row.contextBadge]}</span> : null}
            {row.aiHandoff ? <span className="row-tag tag-ai-handoff">{row.aiHandoff.label}</span> : null}
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
