/**
 * The inbox benchmark's settings, read once from the environment (see the
 * header of `run.ts` for the list and defaults).
 */
import type { OrgSize } from './organisations.js';

export type Options = {
  /** The organisation measured at full size. */
  large: OrgSize;
  /** The same organisation shape at a tenth, for the growth ratio. */
  small: OrgSize;
  noiseOrgs: number;
  noise: OrgSize;
  /** Measured requests per query, after `warmup` unmeasured ones. */
  samples: number;
  warmup: number;
  /** Conversations sampled by the denormalisation check. */
  verifySample: number;
  /** How many of the slowest distinct SQL statements to EXPLAIN. */
  explainTop: number;
  /** Webhooks timed by the real-time delivery measurement; 0 skips it. */
  realtimeMessages: number;
  adminUrl: string;
  /** Keep the database at the end (its name is printed). */
  keep: boolean;
  /** Measure this existing (kept) database instead of generating one. */
  reuse: string | null;
  poolMax: number;
};

function int(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}

function size(prefix: string, conversations: number, messages: number): OrgSize {
  const c = int(`${prefix}_CONVERSATIONS`, conversations, 1, 10_000_000);
  const m = int(`${prefix}_MESSAGES`, Math.max(messages, c), c, 100_000_000);
  return { conversations: c, messages: m };
}

export function readOptions(): Options {
  const large = size('BENCH', 100_000, 1_000_000);
  const reuse = process.env.BENCH_REUSE_DATABASE || null;
  if (reuse !== null && !/^torqueflow_bench_inbox_\d+$/.test(reuse)) throw new Error('BENCH_REUSE_DATABASE must name a database this benchmark created (torqueflow_bench_inbox_<n>)');
  return {
    large,
    small: size('BENCH_SMALL', Math.max(1, Math.round(large.conversations / 10)), Math.round(large.messages / 10)),
    noiseOrgs: int('BENCH_NOISE_ORGS', 20, 0, 1000),
    noise: size('BENCH_NOISE', 5_000, 50_000),
    samples: int('BENCH_SAMPLES', 200, 1, 100_000),
    warmup: int('BENCH_WARMUP', 20, 0, 100_000),
    verifySample: int('BENCH_VERIFY_SAMPLE', 200, 1, 100_000),
    explainTop: int('BENCH_EXPLAIN', 3, 0, 100),
    realtimeMessages: int('BENCH_REALTIME_MESSAGES', 500, 0, 1_000_000),
    adminUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    keep: process.env.BENCH_KEEP === '1' || reuse !== null,
    reuse,
    poolMax: int('DB_POOL_MAX', 8, 1, 200),
  };
}
