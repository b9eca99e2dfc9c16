/**
 * Applies the versioned migrations in `src/db/migrations` with Kysely's
 * Migrator, which takes a lock so several instances starting at once apply
 * each migration exactly once. A database that already has every migration
 * is recognised with one query first: the Migrator introspects every table
 * and column of the database to find its own two tables, ~0.5 s of each
 * embedded start (issue 16: restart in ≤ 3 s).
 */
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as core from './migrations/0001-core.js';
import * as sending from './migrations/0002-sending.js';
import * as staff from './migrations/0003-staff.js';
import * as ingestFunctions from './migrations/0004-ingest-functions.js';
import * as inbox from './migrations/0005-inbox.js';
import * as organisationSettings from './migrations/0006-organisation-settings.js';
import * as hardeningSecurity from './migrations/0007b-hardening-security.js';
import * as media from './migrations/0008-media.js';
import * as portal from './migrations/0009-portal.js';
import * as customers from './migrations/0010-customers.js';
import * as settings from './migrations/0011-settings.js';
import * as voice from './migrations/0012-voice.js';
import * as ai from './migrations/0013-ai.js';
import * as forceRls from './migrations/0014-force-rls.js';
import * as voiceMedia from './migrations/0015-voice-media.js';
import * as onboarding from './migrations/0017-onboarding.js';
import * as leanWrites from './migrations/0018-lean-writes.js';

const migrations: Record<string, Migration> = {
  '0001-core': core,
  '0002-sending': sending,
  '0003-staff': staff,
  '0004-ingest-functions': ingestFunctions,
  '0005-inbox': inbox,
  '0006-organisation-settings': organisationSettings,
  '0007b-hardening-security': hardeningSecurity,
  '0008-media': media,
  '0009-portal': portal,
  '0010-customers': customers,
  '0011-settings': settings,
  '0012-voice': voice,
  '0013-ai': ai,
  '0014-force-rls': forceRls,
  '0015-voice-media': voiceMedia,
  '0017-onboarding': onboarding,
  '0018-lean-writes': leanWrites,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Bring the schema to the newest version.
 * @throws the first migration error, after rolling that migration back
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if ((await appliedMigrations(db))?.join('\n') === Object.keys(migrations).sort().join('\n')) return [];
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The names of the migrations the database records as applied, sorted; null when it records none (no migration table yet). */
async function appliedMigrations(db: Kysely<any>): Promise<string[] | null> {
  try {
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
    return rows.map((r) => r.name).sort();
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return null; // undefined_table: a new database
    throw err;
  }
}
