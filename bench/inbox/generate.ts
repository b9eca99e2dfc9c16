/**
 * Set-based generation of customers, vehicles, work orders, conversations
 * and messages for every benchmark organisation at once (INSERT … SELECT
 * over generate_series), in one session on the owner's connection.
 *
 * The shape, per organisation of C conversations and M messages:
 * - C customers with first and last names drawn with a bias towards the
 *   common ones (so names repeat, as in a real customer base), unique UK
 *   mobiles (+447 7xx xxx xxx), an email for a third; 85 % of them have a
 *   conversation, the other 15 % of conversations are unknown senders
 *   (`contact_phone` +447 8xx …, half with a WhatsApp profile name);
 * - vehicles for 60 % of customers; a completed work order for 35 %, an
 *   active one for 6 % (linked to the conversation, badge 'booking');
 * - messages per conversation heavy-tailed (at least 1, exactly M in all),
 *   in visits of about four messages: the latest visit is `730 d × u^1.5`
 *   ago (recent skew: Today, This week and Last 30 days hold realistic
 *   shares), earlier ones spread back towards two years;
 * - channel: a preferred one per conversation (WhatsApp 45 %, SMS 40 %,
 *   portal 15 %; unknown senders SMS or WhatsApp), 14 % of messages on
 *   another, 4 % voice calls; 3 % staff notes and system entries; inbound
 *   ~45 %; outbound statuses delivered/read/sent/failed with a status time;
 * - 40 % of conversations assigned to one of the six staff ("me" is one);
 *   the last one to three inbound messages unread in 35 % of conversations
 *   active in the past week, 10 % in the past month, 2 % of older ones.
 *
 * Triggers on `messages` fire per row, so the inserts run with
 * `session_replication_role = replica` (no triggers, no foreign-key checks)
 * and the denormalised columns are computed set-based exactly as the
 * triggers and write paths would leave them (checked by `verify.ts`):
 * `unread_count`, `last_event_day` (the organisation-local day of the latest message or status change),
 * `last_activity_at` (latest customer-facing message), `last_inbound_at`,
 * `last_channel` (channel of the latest inbound), the WhatsApp window
 * (latest inbound WhatsApp + 24 h), `conversation_count_deltas` (one row per
 * organisation and assignee) and `conversation_activity_days` (the
 * migration's own backfill statement, days in the organisation's zone).
 * Messages are inserted in time order across organisations, so the heap
 * interleaves tenants as a live database would.
 */
import type pg from 'pg';
import type { BenchOrg } from './organisations.js';
import { generateMessages } from './generate-messages.js';
import { planConversations } from './generate-plan.js';

/** Wall time of each generation step, ms, in order. */
export type GenerationTimings = Array<{ step: string; ms: number }>;

const WORK_ORDER_TITLES = ['MOT', 'Full service', 'Interim service', 'Front brake pads and discs', 'Clutch replacement', 'Four tyres', 'Timing belt', 'Air con regas', 'Diagnostics', 'Exhaust back box'];

/** Runs one timed generation statement. */
export type RunStep = (name: string, text: string, values?: unknown[]) => Promise<void>;

/**
 * Fill every organisation in `orgs` (already created, see `organisations.ts`).
 * @param client a dedicated superuser connection; left with its session settings reset
 * @param now the instant the generated history ends at
 */
export async function generateInbox(client: pg.Client, orgs: readonly BenchOrg[], now: Date): Promise<GenerationTimings> {
  const timings: GenerationTimings = [];
  const run: RunStep = async (name, text, values = []) => {
    const started = performance.now();
    await client.query(text, values);
    timings.push({ step: name, ms: performance.now() - started });
  };
  await client.query('SET session_replication_role = replica');
  await client.query("SET work_mem = '256MB'");
  await client.query('SELECT setseed(0.42)');
  try {
    await client.query('CREATE TEMP TABLE g_org (org_id uuid, org_no int, conversations int, messages int, staff uuid[])');
    const perOrg = orgs[0]?.staffIds.length ?? 0;
    await client.query(
      `INSERT INTO g_org
       SELECT t.org_id, t.org_no, t.conversations, t.messages, ($5::uuid[])[(t.org_no - 1) * $6 + 1 : t.org_no * $6]
       FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[]) AS t(org_id, org_no, conversations, messages)`,
      [orgs.map((o) => o.id), orgs.map((_, i) => i + 1), orgs.map((o) => o.conversations), orgs.map((o) => o.messages), orgs.flatMap((o) => o.staffIds), perOrg],
    );

    await planConversations(run, now);
    await generateMessages(run, now);

    await run('insert customers', `
      INSERT INTO customers (id, org_id, name, phone, email, portal_last_login_at, created_at)
      SELECT c.customer_id, c.org_id, c.first_name || ' ' || c.last_name,
        '+447' || (700000000 + (c.n::bigint * 48271 + c.org_no * 1000003) % 100000000)::text,
        CASE WHEN c.r_name < 0.33 THEN lower(c.first_name || '.' || replace(c.last_name, '''', '')) || c.n || '@example.com' END,
        CASE WHEN c.pref = 'portal' THEN a.last_activity_at END,
        coalesce(a.first_at, $1::timestamptz - interval '3 years' * c.r_span) - interval '1 day' * 30 * c.r_name
      FROM g_conv2 c LEFT JOIN g_agg a ON a.conv_id = c.id AND NOT c.unknown
      ORDER BY 7`, [now]);
    await run('insert consents', `
      WITH rows AS (
        SELECT c.org_id, c.id AS customer_id, cat.category, cat.granted, c.created_at
        FROM customers c JOIN g_org o ON o.org_id = c.org_id
        CROSS JOIN (VALUES ('transactional', true), ('service_reminders', true), ('marketing', false), ('whatsapp', true)) AS cat(category, granted)
      ), consents AS (
        INSERT INTO customer_consents (org_id, customer_id, category, granted, source, updated_at)
        SELECT org_id, customer_id, category, granted, 'org_default', created_at FROM rows
      )
      INSERT INTO consent_audit_log (org_id, customer_id, category, action, source, created_at)
      SELECT org_id, customer_id, category, CASE WHEN granted THEN 'granted' ELSE 'revoked' END, 'org_default', created_at FROM rows`);
    await run('insert vehicles and work orders', `
      WITH v AS (
        INSERT INTO vehicles (org_id, customer_id, registration, make, model, created_at)
        SELECT c.org_id, c.customer_id,
          chr(65 + floor(random() * 26)::int) || chr(65 + floor(random() * 26)::int) || lpad((1 + floor(random() * 74))::text, 2, '0') || ' '
            || chr(65 + floor(random() * 26)::int) || chr(65 + floor(random() * 26)::int) || chr(65 + floor(random() * 26)::int),
          split_part(c.car, ' ', 1), substr(c.car, length(split_part(c.car, ' ', 1)) + 2), cu.created_at
        FROM g_conv2 c JOIN customers cu ON cu.id = c.customer_id
        WHERE c.r_wo < 0.6
        RETURNING id, customer_id
      )
      INSERT INTO work_orders (org_id, customer_id, vehicle_id, number, title, status, created_at)
      SELECT w.org_id, w.customer_id, v.id,
        'WO-' || (10000 + row_number() OVER (PARTITION BY w.org_id ORDER BY w.created_at)),
        ($1::text[])[1 + floor(random() * ${WORK_ORDER_TITLES.length})::int], w.status, w.created_at
      FROM (
        SELECT c.org_id, c.customer_id, 'completed' AS status, coalesce(a.first_at, $2::timestamptz) + (coalesce(a.last_activity_at, $2::timestamptz) - coalesce(a.first_at, $2::timestamptz)) * random() AS created_at
        FROM g_conv2 c LEFT JOIN g_agg a ON a.conv_id = c.id WHERE NOT c.unknown AND c.r_wo < 0.35
        UNION ALL
        SELECT c.org_id, c.customer_id, (ARRAY['booked', 'in_progress', 'awaiting_parts', 'ready'])[1 + floor(random() * 4)::int],
          coalesce(a.last_activity_at, $2::timestamptz) - interval '2 days' * random()
        FROM g_conv2 c LEFT JOIN g_agg a ON a.conv_id = c.id WHERE NOT c.unknown AND c.r_wo >= 0.35 AND c.r_wo < 0.41
      ) w LEFT JOIN v ON v.customer_id = w.customer_id`,
      [WORK_ORDER_TITLES, now]);
    await run('insert conversations', `
      INSERT INTO conversations (id, org_id, customer_id, contact_phone, contact_name, last_channel, last_inbound_at, last_activity_at,
        assignee_id, work_order_id, needs_work_order_pick, context_badge, whatsapp_window_expires_at, unread_count, last_event_day, created_at)
      SELECT c.id, c.org_id,
        CASE WHEN NOT c.unknown THEN c.customer_id END,
        CASE WHEN c.unknown THEN '+447' || (800000000 + (c.n::bigint * 48271 + c.org_no * 1000003) % 100000000)::text END,
        CASE WHEN c.pref = 'whatsapp' AND c.r_name < 0.5 THEN c.first_name || CASE WHEN c.unknown THEN ' ' || c.last_name ELSE '' END END,
        a.last_channel, a.last_inbound_at, a.last_activity_at, c.assignee_id, w.id,
        w.id IS NULL AND NOT c.unknown AND c.r_span < 0.01,
        CASE WHEN w.id IS NOT NULL THEN NULL WHEN c.unknown THEN 'unknown' ELSE 'general' END,
        a.window_expires_at, a.unread_count, (a.last_event_at AT TIME ZONE (SELECT o.time_zone FROM organisations o WHERE o.id = c.org_id))::date, a.first_at
      FROM g_conv2 c JOIN g_agg a ON a.conv_id = c.id
      LEFT JOIN LATERAL (SELECT w.id FROM work_orders w WHERE w.org_id = c.org_id AND w.customer_id = c.customer_id
                         AND w.status NOT IN ('completed', 'cancelled') LIMIT 1) w ON NOT c.unknown
      ORDER BY a.first_at`);
    await run('insert messages (time order)', `
      INSERT INTO messages (id, org_id, conversation_id, direction, channel, content_type, body, media, metadata, status, failure_reason,
        provider_error_code, provider, provider_message_id, cost, cost_currency, sender_user_id, occurred_at, created_at,
        status_updated_at, read_at, sent_at, attempts)
      SELECT id, org_id, conv_id, direction, channel, content_type, body, media, metadata, status, failure_reason,
        provider_error_code, provider, provider_message_id, cost, cost_currency, sender_user_id, at, at,
        status_updated_at, read_at, sent_at, attempts
      FROM g_msg ORDER BY at`);
    await run('activity days', `
      INSERT INTO conversation_activity_days (org_id, conversation_id, day)
      SELECT DISTINCT m.org_id, m.conversation_id, (t.at AT TIME ZONE o.time_zone)::date
      FROM messages m
      JOIN organisations o ON o.id = m.org_id
      CROSS JOIN LATERAL (VALUES (m.occurred_at), (m.status_updated_at)) AS t(at)
      WHERE t.at IS NOT NULL AND m.org_id IN (SELECT org_id FROM g_org)`);
    await run('count deltas', `
      INSERT INTO conversation_count_deltas (org_id, assignee_id, conversations, unread)
      SELECT org_id, assignee_id, count(*), count(*) FILTER (WHERE unread_count > 0)
      FROM conversations WHERE org_id IN (SELECT org_id FROM g_org) GROUP BY org_id, assignee_id`);
    await client.query('DROP TABLE g_org, g_conv, g_conv2, g_visit, g_msg, g_agg');
  } finally {
    await client.query('RESET session_replication_role');
    await client.query('RESET work_mem');
  }
  return timings;
}

/** VACUUM (ANALYZE) the whole database: fresh statistics and visibility maps, so index-only scans apply. */
export async function vacuumAnalyze(client: pg.Client): Promise<number> {
  const started = performance.now();
  await client.query('VACUUM (ANALYZE)');
  return performance.now() - started;
}
