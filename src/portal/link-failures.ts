/**
 * The database side of the magic-link rate limit (rule: src/domain/link-attempts.ts):
 * failed look-ups are rows of `portal_link_failures`, counted per client
 * address and overall within the window, shared by every instance. Run as
 * the table owner (a failed look-up has no organisation).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { LINK_FAILURE_WINDOW_MS, linkLookupVerdict } from '../domain/link-attempts.js';

/** Whether `ip` may look a code up now. */
export async function linkLookupAllowed(db: Kysely<Database>, ip: string, now: Date): Promise<ReturnType<typeof linkLookupVerdict>> {
  const since = new Date(now.getTime() - LINK_FAILURE_WINDOW_MS);
  const { rows } = await sql<{ address: number; global: number }>`
    SELECT (count(*) FILTER (WHERE ip = ${ip}))::int AS address, count(*)::int AS global
    FROM portal_link_failures WHERE attempted_at > ${since}
  `.execute(db);
  return linkLookupVerdict(rows[0] ?? { address: 0, global: 0 });
}

/** Record a failed look-up from `ip` and forget those older than the window. */
export async function recordLinkFailure(db: Kysely<Database>, ip: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('portal_link_failures').values({ ip, attempted_at: now }).execute();
    await trx.deleteFrom('portal_link_failures').where('attempted_at', '<', new Date(now.getTime() - LINK_FAILURE_WINDOW_MS)).execute();
  });
}
