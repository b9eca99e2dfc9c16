/**
 * Migrations on start: a database that has every migration is left alone
 * (recognised with one query, src/db/migrate.ts); one that lacks the newest
 * gets exactly that; one that records a migration this build does not know
 * is refused, as Kysely's Migrator refuses it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
before(async () => { database = await createTestDatabase(); });
after(() => database.close());

const applied = async () => (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(database.db)).rows.map((r) => r.name);

test('a database with every migration is left as it is', async () => {
  const before = await applied();
  assert.deepEqual(before, (await readdir(new URL('../../src/db/migrations/', import.meta.url))).map((f) => f.replace(/\.ts$/, '')).sort(), 'every migration file applied');
  assert.deepEqual(await migrateToLatest(database.db), []);
  assert.deepEqual(await applied(), before);
});

test('a database without the newest migration gets exactly that one', async () => {
  const all = await applied();
  const newest = all.at(-1)!;
  // Kysely's own Migrator takes the newest migration down (its down function runs), as an older build would have left it.
  const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => Object.fromEntries(await Promise.all(all.map(async (n) => [n, await import(`../../src/db/migrations/${n}.js`)]))) } });
  const { error } = await migrator.migrateDown();
  assert.equal(error, undefined);
  assert.deepEqual(await applied(), all.slice(0, -1));
  assert.deepEqual(await migrateToLatest(database.db), [newest]);
  assert.deepEqual(await applied(), all);
});

test('a database that records a migration this build does not know is refused, and nothing changes', async () => {
  const all = await applied();
  await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-from-a-newer-build', ${new Date().toISOString()})`.execute(database.db);
  await assert.rejects(migrateToLatest(database.db), /9999-from-a-newer-build|corrupted/);
  assert.deepEqual(await applied(), [...all, '9999-from-a-newer-build'].sort());
});
