/**
 * The inbox benchmark's own PostgreSQL database: created fresh on the server
 * named by the admin URL (`torqueflow_bench_inbox_<n>`, via
 * bench/support/database.ts), dropped at the end
 * (`WITH (FORCE)`) unless kept, and a few server settings worth printing
 * next to the figures.
 */
import pg from 'pg';
import { createBenchDatabase as createDatabase, type BenchDatabase } from '../support/database.js';

export { databaseUrl, dropBenchDatabase, type BenchDatabase } from '../support/database.js';

/** Create `torqueflow_bench_inbox_<n>` with a fresh random n. */
export function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  return createDatabase(adminUrl, `torqueflow_bench_inbox_${Math.floor(Math.random() * 1e9)}`);
}

/** `name = value` of the server settings that shape the figures (memory, planner, version). */
export async function serverSettings(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings
     WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'max_parallel_workers_per_gather')
     ORDER BY name`,
  );
  const size = (r: { setting: string; unit: string | null }) => {
    if (r.unit === '8kB') return `${(Number(r.setting) * 8) / 1024}MB`;
    if (r.unit === 'kB') return `${Number(r.setting) / 1024}MB`;
    return r.setting;
  };
  const { rows: [db] } = await client.query<{ size: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS size');
  return `${rows.map((r) => `${r.name}=${size(r)}`).join(', ')}; database size ${db?.size ?? '?'}`;
}
