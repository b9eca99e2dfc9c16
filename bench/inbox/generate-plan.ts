/**
 * Generation, first part: the plan of every conversation in temp tables
 * (`g_conv`, `g_conv2`, `g_visit`), for all organisations of `g_org` at
 * once. See `generate.ts` for the shape of the data.
 */
import type { RunStep } from './generate.js';
import { FIRST_NAMES, LAST_NAMES, VEHICLES } from './vocabulary.js';

/**
 * Per conversation: customer or unknown sender, names, vehicle, preferred
 * channel, assignee, unread flag, recency and message count; per visit:
 * its message count, end time and the gap between its messages.
 * @param now the instant the generated history ends at
 */
export async function planConversations(run: RunStep, now: Date): Promise<void> {
  await run('plan conversations', `
    CREATE TEMP TABLE g_conv AS
    SELECT o.org_id, o.org_no, n, gen_random_uuid() AS id, gen_random_uuid() AS customer_id,
      n > floor(o.conversations * 0.85) AS unknown,
      ($1::text[])[1 + floor(${FIRST_NAMES.length} * power(random(), 1.6))::int] AS first_name,
      ($2::text[])[1 + floor(${LAST_NAMES.length} * power(random(), 1.4))::int] AS last_name,
      ($3::text[])[1 + floor(${VEHICLES.length} * random())::int] AS car,
      random() AS r_pref, random() AS r_name,
      730 * power(random(), 1.5) AS age1, random() AS r_span,
      power(-ln(1 - random()), 1.5)::numeric(20, 10) AS w,
      CASE WHEN random() < 0.4 THEN o.staff[1 + floor(random() * cardinality(o.staff))::int] END AS assignee_id,
      random() AS r_unread, 1 + floor(random() * 3)::int AS unread_n,
      random() AS r_wo
    FROM g_org o, generate_series(1, o.conversations) n`,
    [FIRST_NAMES, LAST_NAMES, VEHICLES]);
  await run('allocate messages', `
    CREATE TEMP TABLE g_conv2 AS
    SELECT c.*,
      CASE WHEN unknown THEN (CASE WHEN r_pref < 0.5 THEN 'whatsapp' ELSE 'sms' END)
           WHEN r_pref < 0.45 THEN 'whatsapp' WHEN r_pref < 0.85 THEN 'sms' ELSE 'portal' END AS pref,
      age1 + (730 - age1) * r_span AS age0,
      r_unread < CASE WHEN age1 < 7 THEN 0.35 WHEN age1 < 30 THEN 0.10 ELSE 0.02 END AS unread,
      1 + (floor(extra * cum / tot) - floor(extra * (cum - w) / tot))::int AS k
    FROM (SELECT c.*, o.messages - o.conversations AS extra,
                 sum(c.w) OVER (PARTITION BY c.org_id ORDER BY c.n) AS cum, sum(c.w) OVER (PARTITION BY c.org_id) AS tot
          FROM g_conv c JOIN g_org o USING (org_id)) c`);
  // Garages talk in the daytime: each visit's end is folded into 07:00-19:00 UTC of its day, unless that lies in the future.
  await run('plan visits', `
    CREATE TEMP TABLE g_visit AS
    SELECT c.id AS conv_id, v, c.nv,
      (floor((v + 1) * c.k::numeric / c.nv) - floor(v * c.k::numeric / c.nv))::int AS m,
      CASE WHEN folded <= $1::timestamptz THEN folded ELSE raw_end END AS at_end,
      interval '4 minutes' + random() * interval '3 hours' AS gap
    FROM (SELECT id, k, age0, age1, greatest(1, ceil(k / 4.0))::int AS nv FROM g_conv2) c, generate_series(0, c.nv - 1) v,
    LATERAL (SELECT $1::timestamptz - interval '1 day' * CASE WHEN v = c.nv - 1 THEN c.age1 ELSE c.age1 + (c.age0 - c.age1) * random() END AS raw_end) r,
    LATERAL (SELECT date_trunc('day', raw_end) + interval '7 hours' + (raw_end - date_trunc('day', raw_end)) / 2 AS folded) f`, [now]);
}
