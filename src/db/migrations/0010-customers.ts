/**
 * Customers round (issue 12):
 *
 * - `external_id` on customers, vehicles and work orders: the garage's own
 *   ids from its management system (DMS), unique per organisation, so the
 *   integration API upserts by them (`INSERT … ON CONFLICT`), idempotently.
 * - `customers.updated_at`.
 * - indexes for the customer directory's search: names by trigram (pg_trgm
 *   is on since 0005), e-mail addresses and compact registrations by value.
 * - `consent_audit_log.seq`: the order entries were written in. Entries of one
 *   transaction share `created_at` (now()), e.g. a new customer's default row
 *   and an import's value for the same category, so replaying the log to
 *   reconstruct consent at an instant orders by (created_at, seq).
 * - `whatsapp_verifications`: one-time codes confirming a customer owns their
 *   WhatsApp number (whatsapp-consent.txt, "OTP verification"): only the
 *   code's hash is kept; 10-minute expiry, at most 5 checks and at most 3
 *   sends per verification and 5 per customer an hour are enforced here by
 *   CHECK constraints and the functions' conditional updates, not in memory.
 * - the capabilities `customers.manage` (create and edit customers; owners,
 *   managers, service advisors) and `customers.export` (Subject Access
 *   Request export; owners, managers) added to the default roles that exist.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE customers ADD COLUMN external_id text, ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`.execute(db);
  await sql`ALTER TABLE customers ADD CONSTRAINT customers_org_external_id UNIQUE (org_id, external_id)`.execute(db);
  await sql`ALTER TABLE vehicles ADD COLUMN external_id text`.execute(db);
  await sql`ALTER TABLE vehicles ADD CONSTRAINT vehicles_org_external_id UNIQUE (org_id, external_id)`.execute(db);
  await sql`ALTER TABLE work_orders ADD COLUMN external_id text, ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`.execute(db);
  await sql`ALTER TABLE work_orders ADD CONSTRAINT work_orders_org_external_id UNIQUE (org_id, external_id)`.execute(db);
  await sql`CREATE INDEX customers_org_name_trgm ON customers USING gin (lower(name) gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX customers_org_email ON customers (org_id, lower(email))`.execute(db);
  await sql`CREATE INDEX vehicles_org_registration ON vehicles (org_id, upper(replace(registration, ' ', '')))`.execute(db);
  await sql`ALTER TABLE consent_audit_log ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`.execute(db);

  await sql`
    CREATE TABLE whatsapp_verifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      customer_id uuid NOT NULL,
      phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
      channel text NOT NULL CHECK (channel IN ('whatsapp', 'sms')),
      code_hash text NOT NULL,
      expires_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 5),
      sends integer NOT NULL DEFAULT 1 CHECK (sends BETWEEN 1 AND 3),
      last_sent_at timestamptz NOT NULL DEFAULT now(),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'locked', 'cancelled')),
      verified_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, id),
      FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);
  // At most one open verification per customer: a new request replaces (cancels) the old one.
  await sql`CREATE UNIQUE INDEX whatsapp_verifications_one_pending ON whatsapp_verifications (org_id, customer_id) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX whatsapp_verifications_recent ON whatsapp_verifications (org_id, customer_id, created_at)`.execute(db);
  await sql`ALTER TABLE whatsapp_verifications ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY tenant_isolation ON whatsapp_verifications
    USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())
  `.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE ON whatsapp_verifications TO torqueflow_app`.execute(db);
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO torqueflow_app`.execute(db);

  await sql`
    UPDATE roles SET capabilities = array_append(capabilities, 'customers.manage'), updated_at = now()
    WHERE key IN ('owner', 'manager', 'service_advisor') AND NOT ('customers.manage' = ANY (capabilities))
  `.execute(db);
  await sql`
    UPDATE roles SET capabilities = array_append(capabilities, 'customers.export'), updated_at = now()
    WHERE key IN ('owner', 'manager') AND NOT ('customers.export' = ANY (capabilities))
  `.execute(db);
  // Tokens that held every capability (the default) keep holding every capability.
  await sql`
    UPDATE api_tokens SET capabilities = capabilities || ARRAY['customers.manage', 'customers.export']
    WHERE capabilities @> ARRAY['staff.manage', 'roles.manage', 'audit.view'] AND NOT ('customers.manage' = ANY (capabilities))
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['roles', 'api_tokens']) {
    await sql`UPDATE ${sql.table(table)} SET capabilities = array_remove(array_remove(capabilities, 'customers.manage'), 'customers.export')`.execute(db);
  }
  await sql`DROP TABLE whatsapp_verifications`.execute(db);
  await sql`ALTER TABLE consent_audit_log DROP COLUMN seq`.execute(db);
  await sql`DROP INDEX vehicles_org_registration, customers_org_email, customers_org_name_trgm`.execute(db);
  await sql`ALTER TABLE work_orders DROP COLUMN external_id, DROP COLUMN updated_at`.execute(db);
  await sql`ALTER TABLE vehicles DROP COLUMN external_id`.execute(db);
  await sql`ALTER TABLE customers DROP COLUMN external_id, DROP COLUMN updated_at`.execute(db);
}
