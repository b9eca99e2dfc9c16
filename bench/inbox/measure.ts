/**
 * Times the benchmark's queries through the running app: first one probe
 * per query (is the endpoint there, answering this shape?), then `warmup`
 * unmeasured rounds and `samples` measured rounds. A round sends each
 * available query once, in turn, one request at a time (one user), so every
 * query's samples are spread over the whole run rather than taken back to
 * back. Latency is send → last byte of the response, ms.
 */
import { percentile } from '../support/load.js';
import type { BenchApp } from './app.js';
import type { QueryGroup, QuerySpec } from './queries.js';

export type QueryResult = {
  group: QueryGroup;
  label: string;
  /** null when the endpoint is not available; then `note` says what it answered. */
  latencies: Float64Array | null;
  p50: number;
  p95: number;
  p99: number;
  /** SQL statements the app ran per request (authentication included). */
  statementsPerRequest: number;
  note: string;
};

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/**
 * Measure `specs` as the user whose session cookie is `cookie`.
 * @param recordAs prefix for the recorder's labels, e.g. "large"
 */
export async function measure(app: BenchApp, cookie: string, specs: readonly QuerySpec[], warmup: number, samples: number, recordAs: string): Promise<QueryResult[]> {
  const notes = new Map<QuerySpec, string>();
  const available: QuerySpec[] = [];
  for (const spec of specs) {
    const r = await app.get(spec.path(0), cookie);
    const body = parse(r.body);
    if (r.status === 200 && spec.accepts(body)) {
      available.push(spec);
      notes.set(spec, spec.describe(body));
    } else {
      notes.set(spec, `not available (HTTP ${r.status}: ${r.body.slice(0, 80)})`);
    }
  }
  const latencies = new Map(available.map((s) => [s, new Float64Array(samples)]));
  const failures = new Map<QuerySpec, string>();
  for (let round = 0; round < warmup + samples; round++) {
    for (const spec of available) {
      const measured = round >= warmup;
      app.recorder.begin(measured ? `${recordAs} ${spec.label}` : null);
      const r = await app.get(spec.path(round + 1), cookie);
      if (r.status !== 200 && !failures.has(spec)) failures.set(spec, `HTTP ${r.status}: ${r.body.slice(0, 80)}`);
      if (measured) latencies.get(spec)![round - warmup] = r.ms;
    }
  }
  app.recorder.begin(null);
  return specs.map((spec) => {
    const l = latencies.get(spec);
    if (!l) return { group: spec.group, label: spec.label, latencies: null, p50: NaN, p95: NaN, p99: NaN, statementsPerRequest: NaN, note: notes.get(spec) ?? '' };
    const statements = app.recorder.statements(`${recordAs} ${spec.label}`).reduce((n, s) => n + s.count, 0);
    l.sort();
    const failed = failures.get(spec);
    return {
      group: spec.group, label: spec.label, latencies: l,
      p50: percentile(l, 50), p95: percentile(l, 95), p99: percentile(l, 99), statementsPerRequest: statements / samples,
      note: failed ? `${notes.get(spec)}; some requests failed: ${failed}` : notes.get(spec) ?? '',
    };
  });
}
