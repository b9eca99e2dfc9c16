/**
 * Statement profile for the benchmarks (`BENCH_PROFILE=1`): counts every SQL
 * statement this process sends to PostgreSQL through node-postgres (the
 * app's pool, pg-boss's pool and LISTEN client alike), grouped by its text
 * with literals and parameter numbers folded, with the client-observed time.
 *
 * Client-side, so it works without `pg_stat_statements` being preloaded; the
 * times include network and queueing, the counts are exact. Used to find
 * where the database work per message goes (issue 16).
 */
import pg from 'pg';

type Entry = { calls: number; ms: number };

const entries = new Map<string, Entry>();
let installed = false;

/** Fold a statement's text to its shape: whitespace, numbers, strings and `$n` placeholders. */
export function statementShape(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/'(?:[^']|'')*'/g, "'?'").replace(/\$\d+/g, '$?').replace(/\b\d+\b/g, '?').trim().slice(0, 160);
}

/** Start counting (idempotent). */
export function installStatementProfile(): void {
  if (installed) return;
  installed = true;
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function patched(this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: string } | null)?.text;
    if (typeof text !== 'string') return original.apply(this, args);
    const started = performance.now();
    const key = statementShape(text);
    const settle = () => {
      const e = entries.get(key) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += performance.now() - started;
      entries.set(key, e);
    };
    // pg-boss passes a callback (pool.query); Kysely awaits the promise.
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (...results: unknown[]) => {
        settle();
        return (callback as (...r: unknown[]) => unknown)(...results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(settle, settle);
    return result;
  };
}

/** Forget what was counted so far (call before the phase to profile). */
export function resetStatementProfile(): void {
  entries.clear();
}

/**
 * The profile since the last reset, per unit of work.
 * @param units e.g. messages sent: calls are printed per unit
 * @param top how many statement shapes to list, by calls
 */
export function statementProfileReport(units: number, top = 25): string {
  const rows = [...entries].sort((a, b) => b[1].calls - a[1].calls);
  const total = rows.reduce((n, [, e]) => n + e.calls, 0);
  const lines = [`statements per unit: ${(total / units).toFixed(1)} (${total} for ${units})`];
  for (const [shape, e] of rows.slice(0, top)) {
    lines.push(`  ${(e.calls / units).toFixed(2).padStart(6)} /unit  ${(e.ms / e.calls).toFixed(1).padStart(6)} ms avg  ${shape}`);
  }
  return lines.join('\n');
}
