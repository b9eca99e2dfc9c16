/**
 * Search results as inbox rows (spec: messaging-inbox.txt, "Search bypasses
 * the date range deliberately"): the ranked hits of `searchConversations`
 * (src/inbox/search.ts) presented as conversation rows with their match.
 */
import type { TenantTx } from '../db/tenant.js';
import { conversationRowsById, type Viewer } from './conversation-rows.js';
import type { ConversationRow } from './conversation-row.schema.js';
import { searchConversations } from './search.js';

/** Ranked rows (best first), at most `limit`, each with the match that found it. */
export async function searchInbox(trx: TenantTx, orgId: string, query: string, limit: number, now: Date, viewer: Viewer): Promise<ConversationRow[]> {
  const hits = await searchConversations(trx, orgId, query, limit, viewer.contactVisible);
  const rows = await conversationRowsById(trx, orgId, hits.map((h) => h.conversationId), now, viewer);
  const matchById = new Map(hits.map((h) => [h.conversationId, h.match]));
  return rows.map((row) => ({ ...row, match: matchById.get(row.id)! }));
}
