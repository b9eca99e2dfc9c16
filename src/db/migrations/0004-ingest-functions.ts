/**
 * Inbound webhook functions, one call per statement of the ingest path:
 * - `ingest_route_twilio(number, messaging_service_sid)` and
 *   `ingest_route_whatsapp(phone_number_ids, waba_ids)`: which organisation
 *   owns a provider address, read across organisations, so called as the
 *   owner before any tenant is entered (src/ingest/channel-routing.ts, whose
 *   statement around the call also enters the tenant found);
 * - `ingest_find_sender(org, phone)`: the sender's customer (oldest match)
 *   and up to two of its active work orders, in one statement;
 * - `ingest_record_inbound(…)`: the conversation upsert and the message
 *   insert, exactly once by the unique indexes of 0001-core
 *   (`conversations_one_per_customer`, `conversations_one_per_unknown_phone`,
 *   `messages_provider_message_id`), never by a check.
 * The last two are called by `recordInbound` (src/ingest/record-inbound.ts).
 *
 * Why functions: PL/pgSQL prepares the statements inside a function once per
 * session and reuses the plans, where the same SQL sent by the application is
 * parsed and planned again on every call, a large share of PostgreSQL's
 * cost per webhook. They hold no rule of their own: the work-order
 * link and context badge are decided by the pure TypeScript rule
 * (src/domain/inbound-routing.ts) between the two calls and passed in, and
 * the tenant is entered by src/db/tenant.ts, not here.
 *
 * All are SECURITY INVOKER (the default, stated): they run as the caller, so
 * inside a tenant transaction (`torqueflow_app`, `app.org_id`) row-level
 * security filters and checks every row they read or write, as for the same
 * statements sent directly.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A registered number wins over its Messaging Service (kind DESC); only that one row is returned.
  await sql`
    CREATE FUNCTION ingest_route_twilio(p_number text, p_messaging_service_sid text)
    RETURNS TABLE (org_id uuid, auth_token text)
    LANGUAGE plpgsql STABLE SECURITY INVOKER AS $$
    #variable_conflict use_column
    BEGIN
      RETURN QUERY
        SELECT ci.org_id, ci.auth_token
        FROM channel_identities ci
        WHERE ci.provider = 'twilio'
          AND ((ci.kind = 'phone_number' AND ci.address = p_number)
               OR (ci.kind = 'messaging_service' AND ci.address = p_messaging_service_sid))
        ORDER BY ci.kind DESC
        LIMIT 1;
    END $$
  `.execute(db);

  // The rows owning any of the phone number ids, then those of any of the business accounts (a row may come twice).
  await sql`
    CREATE FUNCTION ingest_route_whatsapp(p_phone_number_ids text[], p_waba_ids text[])
    RETURNS TABLE (kind text, address text, waba_id text, org_id uuid)
    LANGUAGE plpgsql STABLE SECURITY INVOKER AS $$
    #variable_conflict use_column
    BEGIN
      IF cardinality(p_phone_number_ids) > 0 THEN
        RETURN QUERY
          SELECT ci.kind, ci.address, ci.waba_id, ci.org_id
          FROM channel_identities ci
          WHERE ci.provider = 'whatsapp' AND ci.kind = 'whatsapp_phone_number' AND ci.address = ANY (p_phone_number_ids);
      END IF;
      IF cardinality(p_waba_ids) > 0 THEN
        RETURN QUERY
          SELECT ci.kind, ci.address, ci.waba_id, ci.org_id
          FROM channel_identities ci
          WHERE ci.provider = 'whatsapp' AND ci.waba_id = ANY (p_waba_ids);
      END IF;
    END $$
  `.execute(db);

  await sql`
    CREATE FUNCTION ingest_find_sender(p_org_id uuid, p_phone text)
    RETURNS TABLE (customer_id uuid, work_order_ids uuid[])
    LANGUAGE plpgsql STABLE SECURITY INVOKER AS $$
    #variable_conflict use_column
    BEGIN
      RETURN QUERY
        SELECT c.id,
               ARRAY(SELECT w.id FROM work_orders w
                     WHERE w.org_id = p_org_id AND w.customer_id = c.id AND w.status NOT IN ('completed', 'cancelled')
                     ORDER BY w.created_at
                     LIMIT 2)
        FROM customers c
        WHERE c.org_id = p_org_id AND c.phone = p_phone
        ORDER BY c.created_at, c.id
        LIMIT 1;
    END $$
  `.execute(db);

  // Two upsert branches with the same SET list: ON CONFLICT needs a literal target for each
  // partial unique index (customer vs unknown phone), and EXECUTE would lose the cached plan.
  await sql`
    CREATE FUNCTION ingest_record_inbound(
      p_org_id uuid, p_customer_id uuid, p_contact_phone text, p_contact_name text,
      p_channel text, p_occurred_at timestamptz, p_work_order_id uuid,
      p_needs_work_order_pick boolean, p_context_badge text, p_window_expires_at timestamptz,
      p_content_type text, p_body text, p_media jsonb,
      p_metadata jsonb, p_provider text, p_provider_message_id text
    )
    RETURNS TABLE (conversation_id uuid, message_id uuid)
    LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
    #variable_conflict use_column
    DECLARE
      v_conversation_id uuid;
      v_message_id uuid;
    BEGIN
      IF p_customer_id IS NOT NULL THEN
        INSERT INTO conversations AS c (
          org_id, customer_id, contact_phone, contact_name, last_channel, last_inbound_at, last_activity_at,
          work_order_id, needs_work_order_pick, context_badge, whatsapp_window_expires_at
        ) VALUES (
          p_org_id, p_customer_id, p_contact_phone, p_contact_name, p_channel, p_occurred_at, p_occurred_at,
          p_work_order_id, p_needs_work_order_pick, p_context_badge, p_window_expires_at
        )
        ON CONFLICT (org_id, customer_id) WHERE customer_id IS NOT NULL DO UPDATE SET
          contact_name = coalesce(EXCLUDED.contact_name, c.contact_name),
          last_channel = CASE WHEN c.last_inbound_at IS NULL OR EXCLUDED.last_inbound_at >= c.last_inbound_at
                              THEN EXCLUDED.last_channel ELSE c.last_channel END,
          last_inbound_at = greatest(c.last_inbound_at, EXCLUDED.last_inbound_at),
          last_activity_at = greatest(c.last_activity_at, EXCLUDED.last_activity_at),
          work_order_id = coalesce(c.work_order_id, EXCLUDED.work_order_id),
          needs_work_order_pick = coalesce(c.work_order_id, EXCLUDED.work_order_id) IS NULL
                                  AND (c.needs_work_order_pick OR EXCLUDED.needs_work_order_pick),
          context_badge = CASE WHEN coalesce(c.work_order_id, EXCLUDED.work_order_id) IS NULL
                               THEN coalesce(c.context_badge, EXCLUDED.context_badge) END,
          whatsapp_window_expires_at = greatest(c.whatsapp_window_expires_at, EXCLUDED.whatsapp_window_expires_at)
        RETURNING c.id INTO v_conversation_id;
      ELSE
        INSERT INTO conversations AS c (
          org_id, customer_id, contact_phone, contact_name, last_channel, last_inbound_at, last_activity_at,
          work_order_id, needs_work_order_pick, context_badge, whatsapp_window_expires_at
        ) VALUES (
          p_org_id, NULL, p_contact_phone, p_contact_name, p_channel, p_occurred_at, p_occurred_at,
          p_work_order_id, p_needs_work_order_pick, p_context_badge, p_window_expires_at
        )
        ON CONFLICT (org_id, contact_phone) WHERE customer_id IS NULL DO UPDATE SET
          contact_name = coalesce(EXCLUDED.contact_name, c.contact_name),
          last_channel = CASE WHEN c.last_inbound_at IS NULL OR EXCLUDED.last_inbound_at >= c.last_inbound_at
                              THEN EXCLUDED.last_channel ELSE c.last_channel END,
          last_inbound_at = greatest(c.last_inbound_at, EXCLUDED.last_inbound_at),
          last_activity_at = greatest(c.last_activity_at, EXCLUDED.last_activity_at),
          work_order_id = coalesce(c.work_order_id, EXCLUDED.work_order_id),
          needs_work_order_pick = coalesce(c.work_order_id, EXCLUDED.work_order_id) IS NULL
                                  AND (c.needs_work_order_pick OR EXCLUDED.needs_work_order_pick),
          context_badge = CASE WHEN coalesce(c.work_order_id, EXCLUDED.work_order_id) IS NULL
                               THEN coalesce(c.context_badge, EXCLUDED.context_badge) END,
          whatsapp_window_expires_at = greatest(c.whatsapp_window_expires_at, EXCLUDED.whatsapp_window_expires_at)
        RETURNING c.id INTO v_conversation_id;
      END IF;

      INSERT INTO messages AS m (
        org_id, conversation_id, direction, channel, content_type, body, media, metadata,
        provider, provider_message_id, occurred_at
      ) VALUES (
        p_org_id, v_conversation_id, 'inbound', p_channel, p_content_type, p_body, p_media, p_metadata,
        p_provider, p_provider_message_id, p_occurred_at
      )
      ON CONFLICT (org_id, provider, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
      RETURNING m.id INTO v_message_id;

      conversation_id := v_conversation_id;
      message_id := v_message_id;
      RETURN NEXT;
    END $$
  `.execute(db);
}
