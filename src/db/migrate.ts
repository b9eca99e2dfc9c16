/**
 * Applies the versioned migrations in `src/db/migrations` with Kysely's
 * Migrator, which takes a lock so several instances starting at once apply
 * each migration exactly once.
 */
import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as core from './migrations/0001-core.js';
import * as sending from './migrations/0002-sending.js';
import * as staff from './migrations/0003-staff.js';
import * as ingestFunctions from './migrations/0004-ingest-functions.js';
import * as inbox from './migrations/0005-inbox.js';

const migrations: Record<string, Migration> = {
  '0001-core': core,
  '0002-sending': sending,
  '0003-staff': staff,
  '0004-ingest-functions': ingestFunctions,
  '0005-inbox': inbox,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Bring the schema to the newest version.
 * @throws the first migration error, after rolling that migration back
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
