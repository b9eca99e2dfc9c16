/**
 * The only way application code reaches tenant rows.
 *
 * `withTenant` opens a transaction, records the organisation in the
 * transaction-local setting `app.org_id` and switches to the non-owner role
 * `torqueflow_app`, so PostgreSQL's row-level security hides and refuses
 * every other organisation's rows even if a query forgets its
 * `org_id` filter. Both settings end with the transaction.
 *
 * `tenantEntry` is the same two settings as select-list columns, for the one
 * place that enters the tenant in the statement that finds it (the webhook
 * routing lookup in `src/ingest/channel-routing.ts`, which saves a round
 * trip per webhook). Either way the settings are made here and nowhere else.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type TenantTx = Transaction<Database>;

/** Scope the current transaction to `orgId` as the RLS-bound application role. */
export async function enterTenant(trx: TenantTx, orgId: string): Promise<void> {
  await sql`SELECT set_config('app.org_id', ${orgId}, true), set_config('role', 'torqueflow_app', true)`.execute(trx);
}

/**
 * Select-list columns that scope the current transaction to the organisation
 * `orgIdExpression` evaluates to, exactly as `enterTenant` does, from inside
 * the statement that looks the organisation up (run as the owner, before any
 * tenant is entered). That statement itself still runs as the owner, with
 * the permissions and row-level security it was planned with; every later
 * statement of the transaction runs as `torqueflow_app` for that organisation.
 *
 * The caller must make every row the statement returns carry the same
 * organisation (a `LIMIT 1` lookup, or a value equal on every row), since
 * each returned row sets it; and must throw, rolling the transaction back,
 * when the lookup finds nothing it accepts or the request fails verification.
 * @param orgIdExpression SQL yielding the organisation's uuid (or its text)
 */
export function tenantEntry(orgIdExpression: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`set_config('app.org_id', (${orgIdExpression})::text, true) AS entered_org_id, set_config('role', 'torqueflow_app', true) AS entered_role`;
}

/**
 * Run `fn` in a transaction scoped to one organisation.
 * @param orgId organisation uuid; rows of any other organisation are invisible
 * @returns what `fn` returns, after COMMIT
 * @throws whatever `fn` throws, after ROLLBACK
 */
export async function withTenant<T>(db: Kysely<Database>, orgId: string, fn: (trx: TenantTx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await enterTenant(trx, orgId);
    return fn(trx);
  });
}
