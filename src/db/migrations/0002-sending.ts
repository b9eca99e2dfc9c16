/**
 * Sending: provider credentials, consent per customer with an immutable
 * audit log, SMS opt-outs, WhatsApp message templates, the bridge-SMS
 * dedup clock, portal magic links, and the organisation's AI flags.
 *
 * Specs: whatsapp-consent.txt (categories, defaults, audit log is
 * SELECT-only), whatsapp-24-hour-window.txt and portal-messaging-fallback.txt
 * (bridge once per conversation per 24 hours, magic links expire after 7 days).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE organisations
      ADD COLUMN ai_enabled boolean NOT NULL DEFAULT false,
      ADD COLUMN ai_credit_exhausted boolean NOT NULL DEFAULT false
  `.execute(db);

  await sql`ALTER TABLE channel_identities DROP CONSTRAINT channel_identities_provider_check`.execute(db);
  await sql`ALTER TABLE channel_identities DROP CONSTRAINT channel_identities_kind_check`.execute(db);
  await sql`
    ALTER TABLE channel_identities
      ADD CONSTRAINT channel_identities_provider_check CHECK (provider IN ('twilio', 'whatsapp', 'smtp')),
      ADD CONSTRAINT channel_identities_kind_check CHECK (kind IN ('phone_number', 'messaging_service', 'whatsapp_phone_number', 'email_address')),
      ADD COLUMN account_sid text,
      ADD COLUMN access_token text,
      ADD COLUMN waba_id text
  `.execute(db);

  await sql`
    CREATE TABLE consent_defaults (
      org_id uuid PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
      service_reminders boolean NOT NULL,
      marketing boolean NOT NULL,
      whatsapp boolean NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE customer_consents (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      customer_id uuid NOT NULL,
      category text NOT NULL CHECK (category IN ('transactional', 'service_reminders', 'marketing', 'whatsapp')),
      granted boolean NOT NULL,
      source text NOT NULL CHECK (source IN ('org_default', 'hardcoded_default', 'staff_entry', 'portal_preference', 'import', 'otp_verification')),
      performed_by_id uuid,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, customer_id, category),
      FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);

  await sql`
    CREATE TABLE sms_opt_outs (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
      opted_out boolean NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, phone)
    )
  `.execute(db);

  await sql`
    CREATE TABLE consent_audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations(id),
      customer_id uuid,
      phone text,
      category text NOT NULL CHECK (category IN ('transactional', 'service_reminders', 'marketing', 'whatsapp', 'sms')),
      action text NOT NULL CHECK (action IN ('granted', 'revoked')),
      previous_value boolean,
      source text NOT NULL,
      ip_address text,
      user_agent text,
      performed_by_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (customer_id IS NOT NULL OR phone IS NOT NULL)
    )
  `.execute(db);
  await sql`CREATE INDEX consent_audit_by_customer ON consent_audit_log (org_id, customer_id, category, created_at)`.execute(db);
  await sql`
    CREATE FUNCTION consent_audit_log_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'consent_audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER consent_audit_log_immutable BEFORE UPDATE OR DELETE ON consent_audit_log
    FOR EACH ROW EXECUTE FUNCTION consent_audit_log_is_immutable()
  `.execute(db);

  await sql`
    CREATE TABLE message_templates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (name ~ '^[a-z0-9_]+$' AND length(name) <= 512),
      language text NOT NULL DEFAULT 'en_GB',
      category text NOT NULL CHECK (category IN ('UTILITY', 'MARKETING', 'AUTHENTICATION')),
      body text NOT NULL,
      placeholders text[] NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'paused')),
      provider_template_id text,
      rejection_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, id),
      UNIQUE (org_id, name, language)
    )
  `.execute(db);

  await sql`
    ALTER TABLE conversations ADD COLUMN last_bridge_sent_at timestamptz
  `.execute(db);

  await sql`
    ALTER TABLE messages
      ADD COLUMN template_id uuid,
      ADD COLUMN template_params jsonb,
      ADD COLUMN consent_category text CHECK (consent_category IN ('transactional', 'service_reminders', 'marketing')),
      ADD COLUMN attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN sent_at timestamptz,
      ADD FOREIGN KEY (org_id, template_id) REFERENCES message_templates (org_id, id)
  `.execute(db);

  await sql`
    CREATE TABLE portal_links (
      code text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9]{8}$'),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      customer_id uuid,
      conversation_id uuid NOT NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      FOREIGN KEY (org_id, conversation_id) REFERENCES conversations (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);

  await sql`
    CREATE TABLE portal_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      customer_id uuid,
      conversation_id uuid NOT NULL,
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (org_id, conversation_id) REFERENCES conversations (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);

  for (const table of ['consent_defaults', 'customer_consents', 'sms_opt_outs', 'consent_audit_log', 'message_templates', 'portal_links', 'portal_sessions']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())
    `.execute(db);
  }
  for (const table of ['consent_defaults', 'customer_consents', 'sms_opt_outs', 'message_templates', 'portal_links', 'portal_sessions']) {
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${sql.table(table)} TO torqueflow_app`.execute(db);
  }
  await sql`GRANT SELECT, INSERT ON consent_audit_log TO torqueflow_app`.execute(db);
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO torqueflow_app`.execute(db);
}
