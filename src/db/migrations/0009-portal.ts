/**
 * The customer portal (issue 11) and hardened magic links (issue 10 item 6):
 *
 * - `portal_links`: codes are stored only as their SHA-256 (`code_hash`,
 *   hex), a link has an id (`(org_id, id)`) and can be revoked
 *   (`revoked_at`). Existing codes are hashed in place, so links already
 *   texted keep working.
 * - `portal_sessions.link_id`: the link a session was created from; a
 *   session ends with its link (revoked or expired: src/portal/portal-session.ts)
 *   and is deleted with it. Sessions from before this migration have no link
 *   and are ended (the customer opens their link again).
 * - `portal_link_failures`: failed look-ups of `/l/{code}` per client
 *   address, read by the rate limit (src/domain/link-attempts.ts); shared by
 *   every instance. Not a tenant table: a failed look-up has no organisation.
 * - `messages.portal_read_at`: when the customer first saw a garage message
 *   in the portal (the portal's unread badge; for portal messages also their
 *   `read` status).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM portal_sessions`.execute(db);
  await sql`DELETE FROM portal_links`.execute(db);
  await sql`
    ALTER TABLE portal_links
      ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
      ADD COLUMN code_hash text,
      ADD COLUMN revoked_at timestamptz
  `.execute(db);
  await sql`
    ALTER TABLE portal_links
      DROP CONSTRAINT portal_links_pkey,
      DROP COLUMN code,
      ALTER COLUMN code_hash SET NOT NULL,
      ADD CONSTRAINT portal_links_code_hash_format CHECK (code_hash ~ '^[0-9a-f]{64}$'),
      ADD PRIMARY KEY (org_id, id),
      ADD CONSTRAINT portal_links_code_hash_key UNIQUE (code_hash)
  `.execute(db);
  await sql`CREATE INDEX portal_links_by_conversation ON portal_links (org_id, conversation_id, created_at)`.execute(db);

  await sql`
    ALTER TABLE portal_sessions
      ADD COLUMN link_id uuid NOT NULL,
      ADD FOREIGN KEY (org_id, link_id) REFERENCES portal_links (org_id, id) ON DELETE CASCADE
  `.execute(db);

  await sql`
    CREATE TABLE portal_link_failures (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      ip text NOT NULL,
      attempted_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX portal_link_failures_by_ip ON portal_link_failures (ip, attempted_at)`.execute(db);
  await sql`CREATE INDEX portal_link_failures_by_time ON portal_link_failures (attempted_at)`.execute(db);
  await sql`GRANT SELECT, INSERT, DELETE ON portal_link_failures TO torqueflow_app`.execute(db);

  await sql`ALTER TABLE messages ADD COLUMN portal_read_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE messages DROP COLUMN portal_read_at`.execute(db);
  await sql`DROP TABLE portal_link_failures`.execute(db);
  await sql`DELETE FROM portal_sessions`.execute(db);
  await sql`ALTER TABLE portal_sessions DROP COLUMN link_id`.execute(db);
  await sql`DELETE FROM portal_links`.execute(db);
  await sql`
    ALTER TABLE portal_links
      DROP CONSTRAINT portal_links_pkey,
      DROP COLUMN id, DROP COLUMN code_hash, DROP COLUMN revoked_at,
      ADD COLUMN code text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9]{8}$')
  `.execute(db);
}
