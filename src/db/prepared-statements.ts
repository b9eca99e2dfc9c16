/**
 * Server-side prepared statements for the statements this process repeats,
 * on PostgreSQL (issue 16).
 *
 * node-postgres sends every parameterised statement unnamed, and PostgreSQL
 * plans an unnamed statement again on every execution. For the outbox that
 * was about a third of the database's CPU per sent message: the send context
 * statement alone took 1.2 ms to plan and runs twice per message
 * (`pg_stat_statements` with `track_planning`, bench/send.ts). A named
 * statement is parsed once per connection, and PostgreSQL's plan cache then
 * reuses its plan (or keeps planning per execution when a generic plan would
 * be worse: PostgreSQL decides, see "PREPARE" in its manual, plan_cache_mode).
 *
 * Which statements: a parameterised statement (Kysely's `query(text, values)`
 * with at least one value) whose exact text this process has already sent
 * once, up to `perConnection` names per connection; its name is a hash of the
 * text. Statements without parameters (BEGIN, COMMIT, migrations' multi-
 * statement DDL) keep the simple protocol. Row-level security stays exact:
 * PostgreSQL re-plans a cached statement when the role it runs as changes,
 * and the tenant setting is read at execution.
 *
 * A cached statement whose result columns changed under it (another instance
 * migrated a table this one selects `*` from) fails once with SQLSTATE 0A000,
 * "cached plan must not change result type"; the next use on that
 * connection prepares it afresh under a new name.
 *
 * Off with `DB_PREPARED_STATEMENTS=false` (a PgBouncer in transaction
 * pooling mode older than 1.21 cannot keep prepared statements).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Distinct texts remembered process-wide before the memory of sightings starts again. */
const SIGHTINGS_LIMIT = 5_000;
/** Names one connection may hold; further repeated statements go unnamed on it. */
export const PREPARED_PER_CONNECTION = 256;

type QueryFn = (...args: unknown[]) => unknown;

/**
 * Make every client of `pool` prepare the statements this process repeats.
 * @param perConnection the most named statements one connection holds
 * @returns the same pool
 */
export function preparesRepeatedStatements(pool: pg.Pool, perConnection = PREPARED_PER_CONNECTION): pg.Pool {
  const sightings = new Map<string, string>(); // text → its hash, once seen
  const hashOf = (text: string): string | null => {
    const known = sightings.get(text);
    if (known) return known;
    if (sightings.size >= SIGHTINGS_LIMIT) sightings.clear();
    sightings.set(text, createHash('sha1').update(text).digest('base64url').slice(0, 22));
    return null; // the first sighting goes unnamed
  };
  pool.on('connect', (client) => {
    const names = new Map<string, string>(); // text → name prepared on this connection
    let generation = 0;
    const query = client.query.bind(client) as QueryFn;
    const nameFor = (text: string): string | null => {
      const prepared = names.get(text);
      if (prepared) return prepared;
      const hash = hashOf(text);
      if (!hash || names.size >= perConnection) return null;
      const name = `tf_${hash}${generation ? `_${generation}` : ''}`;
      names.set(text, name);
      return name;
    };
    (client as unknown as { query: QueryFn }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
      const name = typeof text === 'string' && Array.isArray(values) && values.length > 0 && rest.length === 0 ? nameFor(text) : null;
      if (!name) return query(text, values, ...rest);
      return (query({ name, text, values }) as Promise<unknown>).catch((err: unknown) => {
        if ((err as { code?: string } | null)?.code === '0A000') {
          // The result type changed under the cached plan: prepare it again, under a new name.
          names.delete(text as string);
          generation++;
        }
        throw err;
      });
    };
  });
  return pool;
}
