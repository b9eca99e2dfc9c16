/** A message's delivery status: pending, sent, delivered, read, failed (with Retry), pending_approval, rejected. */
import type { MessageStatus } from '../api/types';

const LABELS: Record<MessageStatus, string> = {
  pending: 'Pending', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Failed',
  pending_approval: 'Pending approval', rejected: 'Rejected',
};

export function StatusPill({ status }: { status: MessageStatus }) {
  return <span className={`pill pill-${status}`} data-status={status} title={status}>{LABELS[status]}</span>;
}
