/**
 * Records every SQL statement the app's Kysely instance runs, attributed to
 * the benchmark query being measured at the time (requests are sequential,
 * so whatever runs between `begin(label)` and the next `begin` belongs to
 * that label). Fed by Kysely's `log` option; `explain.ts` replays the
 * slowest statement of a query with EXPLAIN.
 */
import type { LogEvent } from 'kysely';

/** One distinct statement text run by one benchmark query. */
export type StatementStats = {
  sql: string;
  count: number;
  /** Sum and maximum of Kysely's measured duration (client round trip included), ms. */
  totalMs: number;
  maxMs: number;
  /** The parameters of the slowest execution, for replaying it. */
  slowestParameters: readonly unknown[];
};

export class QueryRecorder {
  private label: string | null = null;
  private readonly byLabel = new Map<string, Map<string, StatementStats>>();

  /** Attribute the statements that follow to `label` (null: to nothing). */
  begin(label: string | null): void {
    this.label = label;
  }

  /** The Kysely `log` callback. */
  readonly log = (event: LogEvent): void => {
    if (this.label === null || event.level !== 'query') return;
    let statements = this.byLabel.get(this.label);
    if (!statements) this.byLabel.set(this.label, (statements = new Map()));
    const { sql, parameters } = event.query;
    const s = statements.get(sql) ?? { sql, count: 0, totalMs: 0, maxMs: 0, slowestParameters: parameters };
    s.count++;
    s.totalMs += event.queryDurationMillis;
    if (event.queryDurationMillis >= s.maxMs) {
      s.maxMs = event.queryDurationMillis;
      s.slowestParameters = parameters;
    }
    statements.set(sql, s);
  };

  /** The statements `label` ran, by mean duration, slowest first. */
  statements(label: string): StatementStats[] {
    return [...(this.byLabel.get(label)?.values() ?? [])].sort((a, b) => b.totalMs / b.count - a.totalMs / a.count);
  }
}
