/**
 * The benchmark's data set: the large target organisation, the small one
 * (a tenth of it, for the growth ratio) and the noise organisations, either
 * generated now or found again in a kept database (BENCH_REUSE_DATABASE).
 */
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from '../../src/db/schema.js';
import { generateInbox, vacuumAnalyze, type GenerationTimings } from './generate.js';
import type { Options } from './options.js';
import { createBenchOrg, type BenchOrg, type OrgPlan } from './organisations.js';
import { STAFF } from './vocabulary.js';

export type Dataset = { large: BenchOrg; small: BenchOrg; noiseOrgs: number };

const NOISE_ZONES = ['Europe/London', 'Europe/Dublin', 'Europe/Paris', 'America/New_York', 'Australia/Sydney'];

/**
 * Create every organisation and generate its history, then VACUUM (ANALYZE).
 * @returns the data set and the wall time of each step, ms
 */
export async function generateDataset(db: Kysely<Database>, client: pg.Client, o: Options, now: Date): Promise<{ dataset: Dataset; timings: GenerationTimings }> {
  const plans: OrgPlan[] = [
    { label: 'large', slug: 'bench-large', timeZone: 'Europe/London', ...o.large },
    { label: 'small', slug: 'bench-small', timeZone: 'Europe/London', ...o.small },
    ...Array.from({ length: o.noiseOrgs }, (_, i) => ({ label: `noise ${i + 1}`, slug: `bench-noise-${i + 1}`, timeZone: NOISE_ZONES[i % NOISE_ZONES.length]!, ...o.noise })),
  ];
  const started = performance.now();
  const orgs: BenchOrg[] = [];
  for (const [i, plan] of plans.entries()) orgs.push(await createBenchOrg(db, plan, i + 1));
  const timings: GenerationTimings = [{ step: 'organisations and staff', ms: performance.now() - started }];
  timings.push(...await generateInbox(client, orgs, now));
  timings.push({ step: 'VACUUM (ANALYZE)', ms: await vacuumAnalyze(client) });
  return { dataset: { large: orgs[0]!, small: orgs[1]!, noiseOrgs: o.noiseOrgs }, timings };
}

async function findOrg(db: Kysely<Database>, slugPrefix: string, label: string): Promise<BenchOrg> {
  const org = await db.selectFrom('organisations').select(['id', 'slug', 'time_zone']).where('slug', 'like', `${slugPrefix}-%`).executeTakeFirstOrThrow();
  const staff = await db.selectFrom('staff_users').select(['id', 'name']).where('org_id', '=', org.id).execute();
  const staffIds = STAFF.map((s) => staff.find((u) => u.name === s.name)?.id).filter((id): id is string => id !== undefined);
  const counts = await db.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', org.id).executeTakeFirstOrThrow();
  const messages = await db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', org.id).executeTakeFirstOrThrow();
  return {
    label, slug: slugPrefix, timeZone: org.time_zone, conversations: Number(counts.n), messages: Number(messages.n),
    id: org.id, staffIds, meId: staffIds[0]!,
  };
}

/** The data set of a database an earlier run generated and kept. */
export async function findDataset(db: Kysely<Database>): Promise<Dataset> {
  const noise = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('slug', 'like', 'bench-noise-%').executeTakeFirstOrThrow();
  return { large: await findOrg(db, 'bench-large', 'large'), small: await findOrg(db, 'bench-small', 'small'), noiseOrgs: Number(noise.n) };
}
