/**
 * Inbox search (spec: messaging-inbox.txt, "Search bypasses the date range
 * deliberately"; issue 5 item 4): find conversations by customer name,
 * phone number or message keyword across all time, best match first, with
 * what matched highlighted.
 *
 * How each kind of query is answered (`src/domain/search-query.ts` decides
 * the kind), always inside one organisation:
 * - Phone (only for callers who may see contact details): stored E.164 numbers (`customers.phone`, a conversation's
 *   `contact_phone`) that contain the typed digits (`LIKE`, trigram GIN
 *   indexes). An exact E.164 match ranks 1; a partial one 0.5 + 0.4 × the
 *   share of the number matched. At most `PHONE_CANDIDATES` partial matches
 *   are ranked: a very broad prefix (`07700`) ranks an arbitrary sample, so
 *   type more digits to narrow it.
 * - Text: names and message keywords together.
 *   - Names (customer name, contact name): pg_trgm `%` (similarity ≥ 0.3)
 *     or `<%` (word similarity ≥ 0.6), typo-tolerant (`Jon Smth` finds
 *     `Jon Smith`), ranked by the mean of the two similarities (1 for the
 *     exact name); the best `limit` per source are kept (among equal ranks
 *     at that cut, which are kept is arbitrary).
 *   - Messages (every thread entry, notes and system entries included): the
 *     body's English tsvector `@@ websearch_to_tsquery('english', q)`,
 *     ranked by `ts_rank` (normalised into [0, 1) with flag 32, so typically
 *     0.03–0.3: below any name match), recency breaking ties. Only the newest
 *     `messageCandidates(limit)` matching messages are ranked, so a word found
 *     in a great many messages costs a bounded amount of work; the trade-off
 *     is that for such a word an older, better-ranked mention can be missed.
 *     Rarer words (fewer matches than that) are searched in full.
 *   Highlights come from `ts_headline` (run on the returned hits only) with
 *   private-use markers, cut into segments here: no HTML is produced.
 * - Merged: one hit per conversation (its best), best first; equal ranks
 *   put the most recent activity first.
 *
 * The SQL reads the `inbox_search_*` views (`customers`: id, org_id, name,
 * phone; `conversations`: id, org_id, customer_id, contact_name,
 * contact_phone, last_activity_at; `messages`: id, org_id, conversation_id,
 * body, occurred_at and `document`, the body's English tsvector) rather than
 * the tables: under row-level security PostgreSQL will not use a
 * non-leakproof operator (`LIKE`, `%`, `<%`, `@@`) as an index condition, so
 * the same conditions on the tables scan every row of the organisation. The
 * views filter on `app_current_org()` themselves (the tenant setting the
 * policies use) and are owned by the table owner, so these conditions use
 * the org-led GIN indexes. Every branch also filters `org_id = orgId`.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import { parseSearchQuery } from '../domain/search-query.js';
import { markedHighlight, nameHighlight, phoneHighlight, type HighlightSegment } from './search-highlight.js';

export type SearchHit = {
  conversationId: string;
  /** Higher is better: 1 for an exact phone number or name; see the module comment for each kind's scale. */
  rank: number;
  match: {
    kind: 'name' | 'phone' | 'message';
    /** The matching message (kind `message`), else null. */
    messageId: string | null;
    highlight: HighlightSegment[];
  };
};

/**
 * How many of the newest matching messages are ranked for a search returning
 * at most `limit` hits: four per hit, at least 200 (bounds the work for
 * common words).
 */
function messageCandidates(limit: number): number {
  return Math.max(200, 4 * limit);
}

/** Partial phone matches ranked per query. */
const PHONE_CANDIDATES = 500;
/** The organisation's region for numbers typed nationally. */
const DEFAULT_REGION = 'GB';
/** ts_headline markers: private-use characters, removed from bodies before marking. */
const START = '\uE000';
const STOP = '\uE001';
const HEADLINE_OPTIONS = `StartSel="${START}", StopSel="${STOP}", MaxWords=35, MinWords=15, ShortWord=3, MaxFragments=0`;

/**
 * Search one organisation's conversations.
 * @param trx a tenant transaction for `orgId` (`withTenant`)
 * @param query the search box text, as typed
 * @param limit most hits returned, a positive integer
 * @param contactVisible false for callers without `customers.contact.view`
 *   (technicians): the query is never matched against phone numbers (or
 *   emails), since whether a row appears would reveal the number digit by
 *   digit (issue 10 item 4); a number-like query is searched as text (names
 *   and message keywords) instead
 * @returns at most `limit` hits, one per conversation, best first; none for
 *   text with nothing to search for
 * @throws RangeError when `limit` is not a positive integer
 */
export async function searchConversations(
  trx: TenantTx,
  orgId: string,
  query: string,
  limit: number,
  contactVisible: boolean,
): Promise<SearchHit[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const parsed = parseSearchQuery(query, DEFAULT_REGION);
  if (parsed.kind === 'phone' && !contactVisible) return searchText(trx, orgId, query.trim().replace(/\s+/g, ' '), limit);
  if (parsed.kind === 'phone') return searchPhone(trx, orgId, parsed, limit);
  if (parsed.kind === 'text') return searchText(trx, orgId, parsed.text, limit);
  return [];
}

/**
 * A customer's conversation (at most one: `conversations_one_per_customer`),
 * probed per candidate through that index; over rank-ordered candidates the
 * probing stops once the LIMIT is reached.
 */
const customerConversation = sql`CROSS JOIN LATERAL (
  SELECT c.id, c.last_activity_at FROM inbox_search_conversations c
  WHERE c.org_id = cu.org_id AND c.customer_id = cu.id LIMIT 1
) c`;

type PhoneRow = { conversation_id: string; phone: string; name: string | null; rank: number };

/** Conversations whose customer's or contact's number contains the typed digits. */
async function searchPhone(
  trx: TenantTx,
  orgId: string,
  q: { e164: string | null; needle: string; anchored: boolean },
  limit: number,
): Promise<SearchHit[]> {
  const pattern = q.anchored ? `${q.needle}%` : `%${q.needle}%`;
  const { rows } = await sql<PhoneRow>`
    WITH matches AS (
      (SELECT c.id AS conversation_id, cu.phone, cu.name, c.last_activity_at AS at
       FROM inbox_search_customers cu ${customerConversation}
       WHERE cu.org_id = ${orgId} AND cu.phone LIKE ${pattern}
       LIMIT ${PHONE_CANDIDATES})
      UNION ALL
      (SELECT c.id, c.contact_phone, coalesce(cu.name, c.contact_name), c.last_activity_at
       FROM inbox_search_conversations c
       LEFT JOIN inbox_search_customers cu ON cu.org_id = c.org_id AND cu.id = c.customer_id
       WHERE c.org_id = ${orgId} AND c.contact_phone LIKE ${pattern}
       LIMIT ${PHONE_CANDIDATES})
    ),
    ranked AS (
      SELECT DISTINCT ON (conversation_id) conversation_id, phone, name, at,
        CASE WHEN phone = ${q.e164} THEN 1 ELSE 0.5 + 0.4 * length(${q.needle}::text) / length(phone) END::float8 AS rank
      FROM matches
      ORDER BY conversation_id, rank DESC
    )
    SELECT conversation_id, phone, name, rank FROM ranked
    ORDER BY rank DESC, at DESC, conversation_id
    LIMIT ${limit}
  `.execute(trx);
  return rows.map((r) => ({
    conversationId: r.conversation_id,
    rank: Number(r.rank),
    match: {
      kind: 'phone',
      messageId: null,
      highlight: phoneHighlight(r.phone, q.needle),
    },
  }));
}

type TextRow = {
  conversation_id: string;
  kind: 'name' | 'message';
  message_id: string | null;
  name: string | null;
  headline: string | null;
  rank: number;
};

/** Conversations whose customer or contact name resembles `text`, or with a message containing its words. */
async function searchText(trx: TenantTx, orgId: string, text: string, limit: number): Promise<SearchHit[]> {
  const tsquery = sql`websearch_to_tsquery('english', ${text})`;
  const nameRank = (column: string) => sql`((similarity(${sql.ref(column)}, ${text}) + word_similarity(${text}, ${sql.ref(column)})) / 2)::float8`;
  const nameMatch = (column: string) => sql`(${sql.ref(column)} % ${text} OR ${text} <% ${sql.ref(column)})`;
  const { rows } = await sql<TextRow>`
    WITH names AS (
      (SELECT c.id AS conversation_id, cu.name, c.last_activity_at AS at, cu.rank
       FROM (
         SELECT cu.id, cu.org_id, cu.name, ${nameRank('cu.name')} AS rank
         FROM inbox_search_customers cu
         WHERE cu.org_id = ${orgId} AND ${nameMatch('cu.name')}
         ORDER BY rank DESC
       ) cu ${customerConversation}
       ORDER BY cu.rank DESC LIMIT ${limit})
      UNION ALL
      (SELECT c.id, c.contact_name, c.last_activity_at, ${nameRank('c.contact_name')} AS rank
       FROM inbox_search_conversations c
       WHERE c.org_id = ${orgId} AND ${nameMatch('c.contact_name')}
       ORDER BY rank DESC, c.last_activity_at DESC LIMIT ${limit})
    ),
    recent AS (
      SELECT m.id, m.conversation_id, m.document, m.occurred_at
      FROM inbox_search_messages m
      WHERE m.org_id = ${orgId} AND m.document @@ ${tsquery}
      ORDER BY m.occurred_at DESC
      LIMIT ${messageCandidates(limit)}
    ),
    hits AS (
      SELECT DISTINCT ON (conversation_id) * FROM (
        SELECT conversation_id, 'name' AS kind, NULL::uuid AS message_id, name, rank, at FROM names
        UNION ALL
        SELECT conversation_id, 'message', id, NULL, ts_rank(document, ${tsquery}, 32)::float8, occurred_at FROM recent
      ) candidates
      ORDER BY conversation_id, rank DESC, at DESC
    ),
    top AS (
      SELECT * FROM hits ORDER BY rank DESC, at DESC, conversation_id LIMIT ${limit}
    )
    SELECT top.conversation_id, top.kind, top.message_id, top.name, top.rank,
      CASE WHEN top.kind = 'message' THEN
        ts_headline('english', translate(m.body, ${START + STOP}, ''), ${tsquery}, ${HEADLINE_OPTIONS})
      END AS headline
    FROM top
    LEFT JOIN inbox_search_messages m ON m.org_id = ${orgId} AND m.id = top.message_id
    ORDER BY top.rank DESC, top.at DESC, top.conversation_id
  `.execute(trx);
  return rows.map((r) => ({
    conversationId: r.conversation_id,
    rank: Number(r.rank),
    match: r.kind === 'message'
      ? { kind: 'message', messageId: r.message_id, highlight: markedHighlight(r.headline ?? '', START, STOP) }
      : { kind: 'name', messageId: null, highlight: nameHighlight(r.name ?? '', text) },
  }));
}
