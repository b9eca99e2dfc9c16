/**
 * Prints the inbox benchmark's tables: per query p50/p95/p99 (ms) with the
 * target and PASS/MISS (targets are judged at the large organisation), the
 * ratio of p50 to the floor measured in the same run, the SQL statements
 * the app ran per request, and the growth table
 * (large p95 / small p95).
 */
import type { QueryGroup } from './queries.js';
import type { QueryResult } from './measure.js';

/** p95 targets in ms (issue 5 item 8); the floor has none. */
export const TARGET_P95_MS: Readonly<Record<QueryGroup, number | null>> = { floor: null, list: 25, search: 50, thread: 10 };

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

/** The verdict of one result against its group's target: PASS, MISS, '' (no target) or 'n/a'. */
export function verdict(r: QueryResult): string {
  const target = TARGET_P95_MS[r.group];
  if (target === null) return '';
  if (!r.latencies) return 'n/a';
  return r.p95 <= target ? 'PASS' : 'MISS';
}

/** The per-query table of one organisation. */
export function printTable(title: string, results: readonly QueryResult[], judge: boolean): void {
  const floor = results.find((r) => r.group === 'floor');
  const width = Math.max(...results.map((r) => r.label.length), 5) + 2;
  console.log(`\n${title}`);
  console.log(`${pad('query', width)}${lpad('p50', 8)}${lpad('p95', 8)}${lpad('p99', 8)}${lpad('target', 9)}${lpad(judge ? 'result' : '', 8)}${lpad('p50/floor', 11)}${lpad('sql/req', 9)}  answer`);
  for (const r of results) {
    const target = TARGET_P95_MS[r.group];
    const ratio = floor?.latencies && r.latencies ? (r.p50 / floor.p50).toFixed(1) : '-';
    console.log(
      `${pad(r.label, width)}${lpad(ms(r.p50), 8)}${lpad(ms(r.p95), 8)}${lpad(ms(r.p99), 8)}` +
      `${lpad(target === null ? '' : `<=${target}`, 9)}${lpad(judge ? verdict(r) : '', 8)}${lpad(ratio, 11)}` +
      `${lpad(Number.isFinite(r.statementsPerRequest) ? r.statementsPerRequest.toFixed(1) : '-', 9)}  ${r.note}`,
    );
  }
}

/** p95 of each query at both sizes and their ratio (how cost grows with ten times the data). */
export function printGrowth(large: readonly QueryResult[], small: readonly QueryResult[], sizes: string): void {
  const width = Math.max(...large.map((r) => r.label.length), 5) + 2;
  console.log(`\ngrowth: p95 at ${sizes}`);
  console.log(`${pad('query', width)}${lpad('large', 9)}${lpad('small', 9)}${lpad('ratio', 8)}`);
  for (const r of large) {
    const s = small.find((x) => x.label.replace(/".*"/, '') === r.label.replace(/".*"/, ''));
    const ratio = s?.latencies && r.latencies ? (r.p95 / s.p95).toFixed(2) : '-';
    console.log(`${pad(r.label.replace(/ ".*"/, ''), width)}${lpad(ms(r.p95), 9)}${lpad(ms(s?.p95 ?? NaN), 9)}${lpad(ratio, 8)}`);
  }
}

/** One line per target group at the large organisation: how many queries pass, and the worst p95. */
export function printSummary(large: readonly QueryResult[]): void {
  console.log('\ntargets at the large organisation (p95):');
  for (const group of ['list', 'search', 'thread'] as const) {
    const rs = large.filter((r) => r.group === group);
    const measured = rs.filter((r) => r.latencies);
    if (measured.length === 0) {
      console.log(`  ${group}: not available`);
      continue;
    }
    const worst = measured.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    const passed = measured.filter((r) => verdict(r) === 'PASS').length;
    console.log(`  ${group} <= ${TARGET_P95_MS[group]} ms: ${passed}/${measured.length} pass${rs.length > measured.length ? ` (${rs.length - measured.length} not available)` : ''}; worst ${worst.label} p95 ${ms(worst.p95)} ms`);
  }
}
