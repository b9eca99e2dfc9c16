/**
 * The only way application code reaches tenant rows.
 *
 * `withTenant` opens a transaction, records the organisation in the
 * transaction-local setting `app.org_id` and switches to the non-owner role
 * `torqueflow_app`, so PostgreSQL's row-level security hides and refuses
 * every other organisation's rows even if a query forgets its
 * `org_id` filter. Both settings end with the transaction.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type TenantTx = Transaction<Database>;

/** Scope the current transaction to `orgId` as the RLS-bound application role. */
export async function enterTenant(trx: TenantTx, orgId: string): Promise<void> {
  await sql`SELECT set_config('app.org_id', ${orgId}, true), set_config('role', 'torqueflow_app', true)`.execute(trx);
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
