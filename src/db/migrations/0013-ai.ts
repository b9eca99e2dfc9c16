/**
 * The AI receptionist (issue 15; specs: portal-messaging-fallback.txt,
 * whatsapp-24-hour-window.txt, messaging-inbox.txt "AI Analytics",
 * portal-messages.txt "AI Receptionist handoff … Tagged as AI handoff").
 *
 * - `ai_replies`: one row per inbound customer message the AI answered (or
 *   handed off) — unique `(org_id, inbound_message_id)`, so a retried reply
 *   job can never answer, or debit, the same message twice. Holds what the
 *   AI Analytics tab reads: action, category, handoff reason, channel,
 *   tokens, credits and the inbound time (latency = reply created − inbound).
 * - `ai_credit_ledger`: per-organisation credit entries, positive grants
 *   (`allowance` once per month, `top_up`) and negative debits (`reply`);
 *   the balance is their sum. Unique `(org_id, entry_key)` makes every entry
 *   idempotent: `allowance:2026-12`, `reply:<inbound message id>`,
 *   `top_up:<request id>`.
 * - `conversations.ai_handoff_reason` / `ai_handoff_at`: the "AI handoff"
 *   tag in the conversation list, set when the AI hands a conversation to
 *   staff.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE conversations
      ADD COLUMN ai_handoff_reason text,
      ADD COLUMN ai_handoff_at timestamptz
  `.execute(db);

  await sql`
    CREATE TABLE ai_replies (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      conversation_id uuid NOT NULL,
      inbound_message_id uuid NOT NULL,
      reply_message_id uuid,
      channel text NOT NULL,
      action text NOT NULL CHECK (action IN ('reply', 'handoff', 'classify_only', 'canned', 'suppressed')),
      outcome text NOT NULL,
      category text CHECK (category IN ('general', 'booking', 'unknown')),
      handoff_reason text,
      prompt_tokens integer NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
      completion_tokens integer NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
      credits numeric(14, 4) NOT NULL DEFAULT 0 CHECK (credits >= 0),
      inbound_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, inbound_message_id),
      FOREIGN KEY (org_id, conversation_id) REFERENCES conversations (org_id, id) ON DELETE CASCADE
    )
  `.execute(db);
  await sql`CREATE INDEX ai_replies_by_time ON ai_replies (org_id, created_at)`.execute(db);

  await sql`
    CREATE TABLE ai_credit_ledger (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('allowance', 'top_up', 'reply')),
      entry_key text NOT NULL,
      credits numeric(14, 4) NOT NULL CHECK ((kind = 'reply') = (credits <= 0)),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, entry_key)
    )
  `.execute(db);
  await sql`CREATE INDEX ai_credit_ledger_by_time ON ai_credit_ledger (org_id, created_at)`.execute(db);

  for (const table of ['ai_replies', 'ai_credit_ledger']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())
    `.execute(db);
  }
  await sql`GRANT SELECT, INSERT, UPDATE ON ai_replies TO torqueflow_app`.execute(db);
  await sql`GRANT SELECT, INSERT ON ai_credit_ledger TO torqueflow_app`.execute(db);
  // Reaching zero credits (and topping up) flips the existing degradation flag from a tenant transaction.
  await sql`GRANT UPDATE (ai_credit_exhausted) ON organisations TO torqueflow_app`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`REVOKE UPDATE (ai_credit_exhausted) ON organisations FROM torqueflow_app`.execute(db);
  await sql`DROP TABLE ai_credit_ledger`.execute(db);
  await sql`DROP TABLE ai_replies`.execute(db);
  await sql`ALTER TABLE conversations DROP COLUMN ai_handoff_reason, DROP COLUMN ai_handoff_at`.execute(db);
}
