/**
 * Issue 16 item 4: the embedded database's buffer cache lives in the server's
 * own memory, so it is sized for a garage (PGLITE_SHARED_BUFFERS, 16MB by
 * default) instead of PostgreSQL's 128MB.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { loadConfig, PGLITE_SHARED_BUFFERS_DEFAULT } from '../../src/config.js';
import { StartupError } from '../../src/server/startup-error.js';

async function sharedBuffers(options: { sharedBuffers?: string }): Promise<string> {
  const handle = openDatabase({ dataDir: null, ...options });
  try {
    const { rows } = await sql<{ v: string }>`SELECT current_setting('shared_buffers') AS v`.execute(handle.db);
    return rows[0]!.v;
  } finally {
    await handle.close();
  }
}

test('the embedded database starts with the configured buffer cache, 16MB unless told otherwise', async () => {
  assert.equal(PGLITE_SHARED_BUFFERS_DEFAULT, '16MB');
  assert.equal(await sharedBuffers({}), '16MB');
  assert.equal(await sharedBuffers({ sharedBuffers: '48MB' }), '48MB');
  assert.equal(loadConfig({}).PGLITE_SHARED_BUFFERS, '16MB');
  assert.equal(loadConfig({ PGLITE_SHARED_BUFFERS: '64MB' }).PGLITE_SHARED_BUFFERS, '64MB');
});

test('a buffer size that is not a PostgreSQL size is refused at start, naming the variable', () => {
  for (const bad of ['lots', '16', '16 MB', '0MB']) {
    assert.throws(() => loadConfig({ PGLITE_SHARED_BUFFERS: bad }), (err: Error) => err instanceof StartupError && err.message.includes('PGLITE_SHARED_BUFFERS'), bad);
  }
});
