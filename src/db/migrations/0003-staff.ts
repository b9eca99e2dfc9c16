/**
 * Staff accounts, roles and capabilities, sessions, password resets,
 * sign-in attempts, the staff audit log, and the approval states of a
 * message (spec: messaging-inbox.txt, Approval Queue and Permissions).
 */
import { sql, type Kysely } from 'kysely';

const ALL_CAPABILITIES = [
  'messages.view', 'messages.send', 'messages.send_gated', 'messages.approve', 'messages.tier.manage',
  'settings.communication.manage', 'customers.consent.manage', 'customers.contact.view', 'calls.view',
  'calls.manage', 'ai.analytics.view', 'staff.manage', 'roles.manage', 'audit.view',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE roles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      key text CHECK (key IN ('owner', 'manager', 'service_advisor', 'technician')),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
      capabilities text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, id),
      UNIQUE (org_id, name),
      UNIQUE (org_id, key)
    )
  `.execute(db);

  await sql`
    CREATE TABLE staff_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      email text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
      name text NOT NULL,
      password_hash text,
      role_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz,
      UNIQUE (org_id, id),
      FOREIGN KEY (org_id, role_id) REFERENCES roles (org_id, id)
    )
  `.execute(db);

  await sql`
    CREATE TABLE staff_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      FOREIGN KEY (org_id, user_id) REFERENCES staff_users (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);

  await sql`
    CREATE TABLE password_resets (
      token_hash text PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      FOREIGN KEY (org_id, user_id) REFERENCES staff_users (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);

  await sql`
    CREATE TABLE sign_in_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email text NOT NULL,
      ip text NOT NULL,
      succeeded boolean NOT NULL,
      attempted_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX sign_in_attempts_by_email ON sign_in_attempts (email, attempted_at)`.execute(db);
  await sql`CREATE INDEX sign_in_attempts_by_ip ON sign_in_attempts (ip, attempted_at)`.execute(db);

  await sql`
    CREATE TABLE staff_audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations(id),
      actor_user_id uuid,
      actor_token_id uuid,
      action text NOT NULL,
      target_type text NOT NULL,
      target_id text NOT NULL,
      before jsonb,
      after jsonb,
      reason text,
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX staff_audit_log_by_time ON staff_audit_log (org_id, created_at DESC)`.execute(db);
  await sql`
    CREATE FUNCTION staff_audit_log_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'staff_audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER staff_audit_log_immutable BEFORE UPDATE OR DELETE ON staff_audit_log
    FOR EACH ROW EXECUTE FUNCTION staff_audit_log_is_immutable()
  `.execute(db);

  await sql`ALTER TABLE api_tokens ADD COLUMN capabilities text[] NOT NULL DEFAULT ${sql.raw(`ARRAY[${ALL_CAPABILITIES.map((c) => `'${c}'`).join(', ')}]`)}`.execute(db);

  await sql`ALTER TABLE messages DROP CONSTRAINT messages_status_check`.execute(db);
  await sql`
    ALTER TABLE messages
      ADD CONSTRAINT messages_status_check CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'failed', 'pending_approval', 'rejected')),
      ADD COLUMN approved_by_id uuid,
      ADD COLUMN decided_at timestamptz
  `.execute(db);
  await sql`CREATE INDEX messages_pending_approval ON messages (org_id, created_at) WHERE status = 'pending_approval'`.execute(db);

  for (const table of ['roles', 'staff_users', 'staff_sessions', 'password_resets', 'staff_audit_log']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())
    `.execute(db);
  }
  for (const table of ['roles', 'staff_users', 'staff_sessions', 'password_resets']) {
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${sql.table(table)} TO torqueflow_app`.execute(db);
  }
  await sql`GRANT SELECT, INSERT ON staff_audit_log TO torqueflow_app`.execute(db);
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO torqueflow_app`.execute(db);
}
