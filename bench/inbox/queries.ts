/**
 * What the benchmark asks the inbox API (docs/inbox-api.md), per
 * organisation: the floor (`GET /v1/me`, authentication and HTTP only),
 * the list page with its four counts for every date preset × read filter,
 * search for a customer name, a phone number typed the way people type it
 * and a garage keyword, and opening a thread.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { BenchOrg } from './organisations.js';

export type QueryGroup = 'floor' | 'list' | 'search' | 'thread';

export type QuerySpec = {
  group: QueryGroup;
  /** Row label in the table, e.g. "list last_30_days/unread". */
  label: string;
  /** The path of the i-th request (thread opens vary the conversation). */
  path: (i: number) => string;
  /** Whether a 200 body is the endpoint this spec measures (not an older route that ignores the parameters). */
  accepts: (body: unknown) => boolean;
  /** A short note on what the answer held, e.g. "50 rows, all 11874". */
  describe: (body: unknown) => string;
};

const PRESETS = ['all_time', 'today', 'this_week', 'this_month', 'last_30_days', 'custom'] as const;
const FILTERS = ['all', 'unread', 'unassigned', 'mine'] as const;
/** The keyword searched: a garage word in about 1.5 % of messages. */
const SEARCH_KEYWORD = 'clutch';

type ListBody = { conversations?: unknown[]; counts?: Record<string, number>; query?: string | null };
type ThreadBody = { conversation?: unknown; messages?: unknown[] };

const asList = (b: unknown) => (typeof b === 'object' && b !== null ? b as ListBody : {});
const isList = (b: unknown) => Array.isArray(asList(b).conversations) && typeof asList(b).counts === 'object';
const isThread = (b: unknown) => {
  const t = typeof b === 'object' && b !== null ? b as ThreadBody : {};
  return typeof t.conversation === 'object' && Array.isArray(t.messages);
};

/** A calendar day `daysAgo` days before `now` in `timeZone`, YYYY-MM-DD. */
function dayInZone(now: Date, timeZone: string, daysAgo: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now.getTime() - daysAgo * 86_400_000));
}

/** What the searches look for in `org`: a common customer name, one customer's phone as typed, and the keyword. */
async function searchTerms(db: Kysely<Database>, org: BenchOrg): Promise<{ name: string; phone: string }> {
  const name = await sql<{ name: string }>`
    SELECT name FROM customers WHERE org_id = ${org.id} GROUP BY name ORDER BY count(*) DESC, name LIMIT 1 OFFSET 10`.execute(db);
  const phone = await sql<{ phone: string }>`
    SELECT cu.phone FROM conversations c JOIN customers cu ON cu.id = c.customer_id AND cu.org_id = c.org_id
    WHERE c.org_id = ${org.id} AND cu.phone IS NOT NULL ORDER BY c.id LIMIT 1`.execute(db);
  const e164 = phone.rows[0]?.phone ?? '+447700900123';
  // +447712345678 → "07712 345678", the way it is written on a job card.
  const national = `0${e164.slice(3)}`;
  return { name: name.rows[0]?.name ?? 'Oliver Smith', phone: `${national.slice(0, 5)} ${national.slice(5)}` };
}

/** Ids of `count` random conversations of `org`, for thread opens. */
async function randomConversations(db: Kysely<Database>, org: BenchOrg, count: number): Promise<string[]> {
  const rows = await sql<{ id: string }>`SELECT id FROM conversations WHERE org_id = ${org.id} ORDER BY random() LIMIT ${count}`.execute(db);
  return rows.rows.map((r) => r.id);
}

/**
 * Every query the benchmark measures for `org`.
 * @param requests how many requests each query will get (warm-up included), for the thread ids
 */
export async function querySpecs(db: Kysely<Database>, org: BenchOrg, now: Date, requests: number): Promise<QuerySpec[]> {
  const listNote = (b: unknown) => {
    const l = asList(b);
    const c = l.counts ?? {};
    return `${l.conversations?.length ?? 0} rows; all ${c.all} unread ${c.unread} unassigned ${c.unassigned} mine ${c.mine}`;
  };
  const customStart = dayInZone(now, org.timeZone, 120);
  const customEnd = dayInZone(now, org.timeZone, 107);
  const specs: QuerySpec[] = [{
    group: 'floor', label: 'floor GET /v1/me', path: () => '/v1/me',
    accepts: (b) => typeof b === 'object' && b !== null && 'orgId' in b, describe: () => '',
  }];
  for (const preset of PRESETS) {
    for (const filter of FILTERS) {
      const dates = preset === 'custom' ? `&start=${customStart}&end=${customEnd}` : '';
      specs.push({ group: 'list', label: `list ${preset}/${filter}`, path: () => `/v1/conversations?range=${preset}${dates}&filter=${filter}`, accepts: isList, describe: listNote });
    }
  }
  const terms = await searchTerms(db, org);
  for (const [kind, q] of [['name', terms.name], ['phone', terms.phone], ['keyword', SEARCH_KEYWORD]] as const) {
    specs.push({
      group: 'search', label: `search ${kind} "${q}"`, path: () => `/v1/conversations?q=${encodeURIComponent(q)}`,
      accepts: (b) => isList(b) && asList(b).query === q,
      describe: (b) => `${asList(b).conversations?.length ?? 0} results`,
    });
  }
  const ids = await randomConversations(db, org, requests);
  specs.push({
    group: 'thread', label: 'thread open', path: (i) => `/v1/conversations/${ids[i % ids.length]}/thread`, accepts: isThread,
    describe: (b) => `${(b as ThreadBody).messages?.length ?? 0} entries`,
  });
  return specs;
}
