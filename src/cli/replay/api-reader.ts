/**
 * Reads everything an organisation's API token can see (I/O): every
 * conversation, newest activity first, following `nextCursor`; then each
 * conversation's messages, following `earlierCursor` back to the first.
 */
import { mapWithConcurrency } from './pool.js';
import type { ConversationView, MessageView, Snapshot } from './snapshot.js';

export type ReadOptions = {
  baseUrl: string;
  apiToken: string;
  concurrency: number;
  /** Page sizes, kept small enough that real paging happens. */
  conversationPageSize?: number;
  messagePageSize?: number;
};

/** The API answered with something other than 200. */
export class ApiReadError extends Error {
  constructor(readonly status: number, readonly path: string, body: string) {
    super(`GET ${path} answered ${status}: ${body.slice(0, 300)}`);
  }
}

const MAX_PAGES = 100_000;

async function getJson<T>(opts: ReadOptions, path: string, counter: { n: number }): Promise<T> {
  counter.n++;
  const res = await fetch(opts.baseUrl + path, { headers: { authorization: `Bearer ${opts.apiToken}`, accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (res.status !== 200) throw new ApiReadError(res.status, path, text);
  return JSON.parse(text) as T;
}

/** One pass over `GET /v1/conversations`, newest activity first, following `nextCursor`. */
async function readConversationList(opts: ReadOptions, counter: { n: number }): Promise<ConversationView[]> {
  const conversations: ConversationView[] = [];
  const cursors = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: string = `range=all_time&limit=${opts.conversationPageSize ?? 50}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body: { conversations: ConversationView[]; nextCursor: string | null } = await getJson(opts, `/v1/conversations?${query}`, counter);
    conversations.push(...body.conversations);
    if (!body.nextCursor) break;
    if (cursors.has(body.nextCursor)) throw new Error(`GET /v1/conversations returned the cursor ${body.nextCursor} twice: paging would never end`);
    cursors.add(body.nextCursor);
    cursor = body.nextCursor;
  }
  return conversations;
}

const signature = (list: ConversationView[]) => JSON.stringify(list.map((c) => [c.id, c.lastActivityAt]));
const STABLE_READ_ATTEMPTS = 20;

/**
 * The conversation list once it stops moving: the server may still be
 * working on the replay (AI replies, deliveries, status callbacks), and a
 * conversation that moves to the top while the pages are read would be
 * skipped by the keyset paging. Reads until two passes in a row agree on
 * every id and its last activity (at most 20 passes, 500 ms apart).
 */
async function readStableConversationList(opts: ReadOptions, counter: { n: number }): Promise<ConversationView[]> {
  let previous = await readConversationList(opts, counter);
  for (let attempt = 1; attempt < STABLE_READ_ATTEMPTS; attempt++) {
    await new Promise((r) => setTimeout(r, 500));
    const next = await readConversationList(opts, counter);
    if (signature(next) === signature(previous)) return next;
    previous = next;
  }
  return previous;
}

/** Read the organisation's conversations and all their messages. */
export async function readSnapshot(opts: ReadOptions): Promise<Snapshot> {
  const counter = { n: 0 };
  const conversations = await readStableConversationList(opts, counter);

  const ids = [...new Set(conversations.map((c) => c.id))];
  const lists = await mapWithConcurrency(ids, opts.concurrency, async (id) => {
    const pages: MessageView[][] = [];
    let before: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query: string = `limit=${opts.messagePageSize ?? 100}${before ? `&before=${encodeURIComponent(before)}` : ''}`;
      const body: { messages: MessageView[]; earlierCursor: string | null } = await getJson(opts, `/v1/conversations/${id}/messages?${query}`, counter);
      pages.unshift(body.messages);
      if (!body.earlierCursor || body.earlierCursor === before) break;
      before = body.earlierCursor;
    }
    return pages.flat();
  });
  return { takenAt: new Date(), conversations, messages: new Map(ids.map((id, i) => [id, lists[i]!])), apiRequests: counter.n };
}
