/**
 * Replays a recorded statement with EXPLAIN (ANALYZE, BUFFERS) the way the
 * app ran it: inside a transaction that enters the tenant exactly as
 * `enterTenant` (src/db/tenant.ts) does (transaction-local `app.org_id`,
 * role `torqueflow_app`, so row-level security applies) and with JIT off
 * like the app's pool (src/db/database.ts), with the
 * parameters of its slowest execution, then rolled back.
 */
import type pg from 'pg';
import type { StatementStats } from './recorder.js';

/** Whether a statement is the request's own work, not authentication, entering the tenant, BEGIN or COMMIT. */
export function isQueryWork(s: StatementStats): boolean {
  return !/from "staff_sessions"/.test(s.sql) && !/set_config\('app\.org_id'/.test(s.sql) && !/^(begin|commit|rollback)$/i.test(s.sql.trim());
}

/** The plan text of `statement` replayed in `orgId`'s tenant (run twice; the second, warm run is returned). */
export async function explainStatement(client: pg.Client, orgId: string, statement: StatementStats): Promise<string> {
  let plan = '';
  for (let run = 0; run < 2; run++) {
    await client.query('BEGIN');
    try {
      await client.query("SELECT set_config('app.org_id', $1, true), set_config('role', 'torqueflow_app', true), set_config('jit', 'off', true)", [orgId]);
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, [...statement.slowestParameters]);
      plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await client.query('ROLLBACK');
    }
  }
  return plan;
}
