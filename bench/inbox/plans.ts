/**
 * Where the time of the slowest queries goes: for the slowest list, search
 * and thread query of an organisation, every SQL statement the app ran per
 * request with its mean duration; then EXPLAIN (ANALYZE, BUFFERS) of the
 * slowest distinct statements (by mean, across every measured query) and of
 * each of those three queries' slowest statement.
 */
import type pg from 'pg';
import { explainStatement, isQueryWork } from './explain.js';
import type { QueryResult } from './measure.js';
import type { BenchOrg } from './organisations.js';
import type { QueryRecorder, StatementStats } from './recorder.js';

const mean = (s: StatementStats) => s.totalMs / s.count;
const oneLine = (sql: string, max: number) => {
  const flat = sql.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/**
 * Print the breakdowns and plans for `org`'s results.
 * @param recordAs the recorder label prefix `measure` used for this organisation
 * @param topStatements how many of the slowest distinct statements to explain
 */
export async function printPlans(client: pg.Client, recorder: QueryRecorder, org: BenchOrg, recordAs: string, results: readonly QueryResult[], topStatements: number): Promise<void> {
  const measured = results.filter((r) => r.latencies && r.group !== 'floor');
  if (measured.length === 0) return;
  const slowest = measured.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  const toExplain = new Map<string, { statement: StatementStats; why: string }>();

  for (const group of ['list', 'search', 'thread'] as const) {
    const inGroup = measured.filter((r) => r.group === group);
    if (inGroup.length === 0) continue;
    const worst = inGroup.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    const statements = recorder.statements(`${recordAs} ${worst.label}`);
    const samples = worst.latencies?.length ?? 1;
    console.log(`\n${worst === slowest ? 'slowest query overall; ' : ''}slowest ${group} query "${worst.label}" (p95 ${worst.p95.toFixed(1)} ms), SQL per request (mean ms x count):`);
    for (const s of statements) console.log(`  ${mean(s).toFixed(2).padStart(7)} ms x ${(s.count / samples).toFixed(1)}  ${oneLine(s.sql, 160)}`);
    const top = statements.find(isQueryWork);
    if (top && !toExplain.has(top.sql)) toExplain.set(top.sql, { statement: top, why: `slowest statement of "${worst.label}"` });
  }

  const distinct = new Map<string, { statement: StatementStats; label: string }>();
  for (const r of measured) {
    for (const s of recorder.statements(`${recordAs} ${r.label}`).filter(isQueryWork)) {
      const seen = distinct.get(s.sql);
      if (!seen || mean(s) > mean(seen.statement)) distinct.set(s.sql, { statement: s, label: r.label });
    }
  }
  const ranked = [...distinct.values()].sort((a, b) => mean(b.statement) - mean(a.statement)).slice(0, topStatements);
  for (const [i, { statement, label }] of ranked.entries()) {
    const why = `#${i + 1} slowest distinct statement (mean ${mean(statement).toFixed(1)} ms in "${label}")`;
    const already = toExplain.get(statement.sql);
    toExplain.set(statement.sql, { statement, why: already ? `${why}; ${already.why}` : why });
  }

  for (const { statement, why } of toExplain.values()) {
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS), ${why}, mean ${mean(statement).toFixed(1)} ms, max ${statement.maxMs.toFixed(1)} ms, replayed with the parameters of its slowest run:`);
    console.log(`SQL: ${oneLine(statement.sql, 100_000)}`);
    console.log(`parameters: ${JSON.stringify(statement.slowestParameters)}`);
    console.log(await explainStatement(client, org.id, statement));
  }
}
