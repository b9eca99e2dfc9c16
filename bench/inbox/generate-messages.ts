/**
 * Generation, second part: every message of every planned visit (`g_msg`),
 * and each conversation's denormalised columns computed from them (`g_agg`)
 * as the triggers and write paths would leave them. See `generate.ts` for
 * the shape of the data.
 */
import type { RunStep } from './generate.js';
import { INBOUND_PHRASES, NOTE_PHRASES, OUTBOUND_PHRASES, SYSTEM_PHRASES } from './vocabulary.js';

/** @param now the instant the generated history ends at (no message or status time after it) */
export async function generateMessages(run: RunStep, now: Date): Promise<void> {
  await run('generate messages', `
    CREATE TEMP TABLE g_msg AS
    WITH base AS (
      SELECT c.org_id, c.id AS conv_id, c.unknown, c.pref, c.first_name, c.car, o.staff,
        v.at_end - (v.m - j) * v.gap
          - CASE WHEN j < v.m THEN random() * v.gap * 0.3 ELSE interval '0' END AS at,
        (c.unread AND v.v = v.nv - 1 AND j > v.m - c.unread_n) AS unread,
        random() AS r_dir, random() AS r_ch, random() AS r_alt, random() AS r_st, random() AS r_body,
        random() AS r_body2, random() AS r_two, random() AS r_lag, random() AS r_user, random() AS r_n
      FROM g_visit v JOIN g_conv2 c ON c.id = v.conv_id JOIN g_org o ON o.org_id = c.org_id
      CROSS JOIN LATERAL generate_series(1, v.m) j
    ), chan AS (
      SELECT b.*,
        CASE WHEN r_ch < 0.04 THEN 'voice' WHEN r_ch < 0.86 THEN pref
             WHEN unknown THEN (CASE pref WHEN 'sms' THEN 'whatsapp' ELSE 'sms' END)
             ELSE (ARRAY['sms', 'whatsapp', 'portal'])[1 + floor(r_alt * 3)::int] END AS ch
      FROM base b
    ), dir AS (
      SELECT c.*,
        CASE WHEN unread THEN 'inbound'
             WHEN ch = 'voice' THEN (CASE WHEN r_dir < 0.7 THEN 'inbound' ELSE 'outbound' END)
             WHEN r_dir < 0.03 THEN 'internal' WHEN r_dir < 0.48 THEN 'inbound' ELSE 'outbound' END AS direction
      FROM chan c
    ), st AS (
      SELECT d.*,
        CASE WHEN direction <> 'outbound' THEN NULL
             WHEN ch = 'voice' THEN 'delivered'
             WHEN ch IN ('whatsapp', 'portal') AND r_st < 0.40 THEN 'read'
             WHEN r_st < 0.90 THEN 'delivered' WHEN r_st < 0.97 THEN 'sent' ELSE 'failed' END AS status
      FROM dir d
    )
    SELECT gen_random_uuid() AS id, org_id, conv_id, direction, at,
      CASE WHEN direction = 'internal' THEN 'internal' ELSE ch END AS channel,
      CASE WHEN direction = 'internal' THEN (CASE WHEN r_body < 0.7 THEN 'note' ELSE 'system' END)
           WHEN ch = 'voice' THEN 'call' ELSE 'text' END AS content_type,
      CASE WHEN direction = 'internal' AND r_body < 0.7 THEN ($2::text[])[1 + floor(r_body2 * ${NOTE_PHRASES.length})::int]
           WHEN direction = 'internal' THEN replace(($3::text[])[1 + floor(r_body2 * ${SYSTEM_PHRASES.length})::int], '{n}', (1000 + floor(r_n * 9000))::text)
           WHEN ch = 'voice' THEN ''
           WHEN direction = 'inbound' THEN ($4::text[])[1 + floor(r_body * ${INBOUND_PHRASES.length})::int]
             || CASE WHEN r_two < 0.25 THEN ' ' || ($4::text[])[1 + (floor(r_body * ${INBOUND_PHRASES.length})::int + 1 + floor(r_body2 * ${INBOUND_PHRASES.length - 1})::int) % ${INBOUND_PHRASES.length}] ELSE '' END
           ELSE replace(replace(replace(($5::text[])[1 + floor(r_body * ${OUTBOUND_PHRASES.length})::int],
                  '{first}', coalesce(first_name, 'there')), '{car}', CASE WHEN unknown THEN 'car' ELSE car END),
                  '{n}', (40 + floor(r_n * 900))::text) END AS body,
      CASE WHEN direction = 'inbound' AND ch IN ('sms', 'whatsapp') AND r_two > 0.97
           THEN jsonb_build_array(jsonb_build_object('contentType', 'image/jpeg', 'providerMediaId', md5(r_two::text)))
           ELSE '[]'::jsonb END AS media,
      CASE WHEN ch = 'voice' AND direction <> 'internal' THEN jsonb_build_object('call', CASE
             WHEN r_body < 0.6 THEN jsonb_build_object('durationSeconds', 20 + floor(r_n * 400)::int, 'outcome', 'answered')
             WHEN r_body < 0.8 THEN jsonb_build_object('durationSeconds', 10 + floor(r_n * 60)::int, 'outcome', 'voicemail')
             ELSE jsonb_build_object('durationSeconds', 0, 'outcome', 'missed') END)
           ELSE '{}'::jsonb END AS metadata,
      status,
      CASE WHEN status = 'failed' THEN 'Unreachable destination handset' END AS failure_reason,
      CASE WHEN status = 'failed' THEN (CASE ch WHEN 'whatsapp' THEN '131026' ELSE '30003' END) END AS provider_error_code,
      CASE WHEN direction = 'internal' OR ch = 'portal' THEN NULL WHEN ch = 'whatsapp' THEN 'whatsapp' ELSE 'twilio' END AS provider,
      CASE WHEN direction = 'internal' OR ch = 'portal' THEN NULL
           WHEN ch = 'whatsapp' THEN 'wamid.' || upper(md5(r_lag::text || r_n::text))
           WHEN ch = 'voice' THEN 'CA' || md5(r_lag::text || r_n::text)
           ELSE 'SM' || md5(r_lag::text || r_n::text) END AS provider_message_id,
      CASE WHEN direction = 'outbound' AND ch = 'sms' THEN 0.0400 END AS cost,
      CASE WHEN direction = 'outbound' AND ch = 'sms' THEN 'GBP' END AS cost_currency,
      CASE WHEN direction = 'internal' AND r_body >= 0.7 THEN NULL
           WHEN direction = 'internal' OR (direction = 'outbound' AND r_user < 0.85)
           THEN staff[1 + floor(r_user * cardinality(staff))::int] END AS sender_user_id,
      CASE WHEN status IS NULL THEN NULL
           WHEN status = 'read' THEN least($1::timestamptz, at + r_lag * interval '6 hours')
           ELSE least($1::timestamptz, at + (2 + r_lag * 60) * interval '1 second') END AS status_updated_at,
      CASE WHEN direction <> 'inbound' OR unread THEN NULL ELSE least($1::timestamptz, at + r_lag * interval '2 hours') END AS read_at,
      CASE WHEN status IS NOT NULL THEN at END AS sent_at,
      CASE WHEN status IS NOT NULL THEN 1 ELSE 0 END AS attempts
    FROM st`,
    [now, NOTE_PHRASES, SYSTEM_PHRASES, INBOUND_PHRASES, OUTBOUND_PHRASES]);
  await run('denormalise', `
    CREATE TEMP TABLE g_agg AS
    SELECT conv_id,
      min(at) AS first_at,
      coalesce(max(at) FILTER (WHERE direction <> 'internal'), max(at)) AS last_activity_at,
      max(greatest(at, status_updated_at)) AS last_event_at,
      count(*) FILTER (WHERE direction = 'inbound' AND read_at IS NULL)::int AS unread_count,
      max(at) FILTER (WHERE direction = 'inbound') AS last_inbound_at,
      (array_agg(channel ORDER BY at DESC) FILTER (WHERE direction = 'inbound'))[1] AS last_channel,
      max(at) FILTER (WHERE direction = 'inbound' AND channel = 'whatsapp') + interval '24 hours' AS window_expires_at
    FROM g_msg GROUP BY conv_id`);

}
