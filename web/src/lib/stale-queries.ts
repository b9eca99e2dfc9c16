/**
 * Which cached queries a live event makes stale: every query whose key starts
 * with one of the returned prefixes is refetched. Pages name their queries
 * with these prefixes (`['customers', …]`, `['work-orders', …]`,
 * `['conversation', id]`); `[]` is every query. Pure: unit-tested.
 */
import type { InboxEvent } from '../api/types.js';

export function staleKeys(event: InboxEvent): string[][] {
  const { conversationId } = event;
  switch (event.type) {
    case 'message.created':
    case 'message.status':
    case 'conversation.read':
    case 'conversation.assigned':
      return conversationId ? [['conversation', conversationId], ['customers']] : [['customers']];
    case 'conversation.work_order':
      return [['work-orders'], ['customers'], ...(conversationId ? [['conversation', conversationId]] : [])];
    case 'resync':
      return [[]];
    default:
      return [];
  }
}
