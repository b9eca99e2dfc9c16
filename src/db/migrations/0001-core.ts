/**
 * Core schema: organisations, channel identities, customers, vehicles, work
 * orders, conversations, messages, delivery-status events and API tokens.
 *
 * Tenant isolation (spec: whatsapp-consent.txt "Consent records have RLS
 * enabled"; brief: enforced by the database): every tenant table has
 * `org_id` and a row-level security policy comparing it with
 * `app_current_org()`, the transaction-local setting `app.org_id`. The
 * application runs tenant work as the non-owner role `torqueflow_app`
 * (see `src/db/tenant.ts`), so the policies apply even when the connecting
 * user owns the tables or is a superuser.
 */
import { sql, type Kysely } from 'kysely';

const TENANT_TABLES = [
  'channel_identities',
  'customers',
  'vehicles',
  'work_orders',
  'conversations',
  'messages',
  'message_status_events',
  'api_tokens',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DO $$ BEGIN
      CREATE ROLE torqueflow_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$;
  `.execute(db);
  await sql`
    DO $$ BEGIN
      EXECUTE format('GRANT torqueflow_app TO %I', current_user);
    EXCEPTION WHEN OTHERS THEN NULL;
    END $$;
  `.execute(db);

  await sql`
    CREATE FUNCTION app_current_org() RETURNS uuid
    LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $$
  `.execute(db);

  await sql`
    CREATE TABLE organisations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      time_zone text NOT NULL DEFAULT 'Europe/London',
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE channel_identities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      provider text NOT NULL CHECK (provider IN ('twilio', 'whatsapp')),
      kind text NOT NULL CHECK (kind IN ('phone_number', 'messaging_service', 'whatsapp_phone_number')),
      address text NOT NULL,
      display_number text,
      auth_token text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (provider, kind, address),
      CHECK (provider <> 'twilio' OR auth_token IS NOT NULL)
    )
  `.execute(db);

  await sql`
    CREATE TABLE customers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      name text NOT NULL,
      phone text CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
      email text,
      portal_last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, id)
    )
  `.execute(db);
  await sql`CREATE INDEX customers_org_phone ON customers (org_id, phone, created_at)`.execute(db);

  await sql`
    CREATE TABLE vehicles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      customer_id uuid NOT NULL,
      registration text NOT NULL,
      make text,
      model text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, id),
      FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);

  await sql`
    CREATE TABLE work_orders (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      customer_id uuid NOT NULL,
      vehicle_id uuid,
      number text NOT NULL,
      title text NOT NULL,
      status text NOT NULL CHECK (status IN ('booked', 'in_progress', 'awaiting_parts', 'ready', 'completed', 'cancelled')),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, id),
      UNIQUE (org_id, number),
      FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE,
      FOREIGN KEY (org_id, vehicle_id) REFERENCES vehicles (org_id, id)
    )
  `.execute(db);
  await sql`
    CREATE INDEX work_orders_active_by_customer ON work_orders (org_id, customer_id, created_at)
    WHERE status NOT IN ('completed', 'cancelled')
  `.execute(db);

  await sql`
    CREATE TABLE conversations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      customer_id uuid,
      contact_phone text CHECK (contact_phone ~ '^\\+[1-9][0-9]{6,14}$'),
      contact_name text,
      last_channel text CHECK (last_channel IN ('sms', 'whatsapp', 'portal', 'voice', 'email')),
      last_inbound_at timestamptz,
      last_activity_at timestamptz NOT NULL DEFAULT now(),
      assignee_id uuid,
      work_order_id uuid,
      needs_work_order_pick boolean NOT NULL DEFAULT false,
      context_badge text CHECK (context_badge IN ('general', 'booking', 'unknown')),
      whatsapp_window_expires_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, id),
      FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id),
      FOREIGN KEY (org_id, work_order_id) REFERENCES work_orders (org_id, id)
    )
  `.execute(db);
  await sql`CREATE UNIQUE INDEX conversations_one_per_customer ON conversations (org_id, customer_id) WHERE customer_id IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX conversations_one_per_unknown_phone ON conversations (org_id, contact_phone) WHERE customer_id IS NULL`.execute(db);
  await sql`CREATE INDEX conversations_by_activity ON conversations (org_id, last_activity_at DESC, id DESC)`.execute(db);

  await sql`
    CREATE TABLE messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      conversation_id uuid NOT NULL,
      direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
      channel text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'portal', 'voice', 'email')),
      content_type text NOT NULL DEFAULT 'text',
      body text NOT NULL DEFAULT '',
      media jsonb NOT NULL DEFAULT '[]'::jsonb,
      metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
      status text CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'failed')),
      failure_reason text,
      provider_error_code text,
      provider text,
      provider_message_id text,
      cost numeric(14, 6),
      cost_currency text CHECK (cost_currency ~ '^[A-Z]{3}$'),
      pricing jsonb,
      ai_generated boolean NOT NULL DEFAULT false,
      sender_user_id uuid,
      notification_type text,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      status_updated_at timestamptz,
      read_at timestamptz,
      UNIQUE (org_id, id),
      FOREIGN KEY (org_id, conversation_id) REFERENCES conversations (org_id, id) ON DELETE CASCADE,
      CHECK ((direction = 'outbound') = (status IS NOT NULL)),
      CHECK ((cost IS NULL) = (cost_currency IS NULL))
    )
  `.execute(db);
  await sql`
    CREATE UNIQUE INDEX messages_provider_message_id ON messages (org_id, provider, provider_message_id)
    WHERE provider_message_id IS NOT NULL
  `.execute(db);
  await sql`CREATE INDEX messages_thread ON messages (org_id, conversation_id, occurred_at, id)`.execute(db);

  await sql`
    CREATE TABLE message_status_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      provider text NOT NULL,
      provider_message_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'failed')),
      provider_status text NOT NULL,
      error_code text,
      error_title text,
      occurred_at timestamptz,
      received_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, provider, provider_message_id, provider_status)
    )
  `.execute(db);

  await sql`
    CREATE TABLE api_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )
  `.execute(db);

  await sql`ALTER TABLE organisations ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`CREATE POLICY tenant_isolation ON organisations USING (id = app_current_org())`.execute(db);
  await sql`GRANT SELECT ON organisations TO torqueflow_app`.execute(db);

  for (const table of TENANT_TABLES) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())
    `.execute(db);
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${sql.table(table)} TO torqueflow_app`.execute(db);
  }
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO torqueflow_app`.execute(db);
  await sql`REVOKE DELETE, UPDATE ON message_status_events FROM torqueflow_app`.execute(db);
}
