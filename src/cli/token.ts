/**
 * `npm run token -- create --org <slug> [--name <label>]`: create an
 * organisation API token and print it (it is shown only this once).
 * `npm run token -- list --org <slug>`: list an organisation's tokens.
 *
 * Opens the configured database directly (DATABASE_URL, or the embedded
 * database in DATA_DIR: stop the server first, the embedded database allows
 * one process at a time).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { createApiToken } from '../api/api-tokens.js';

const USAGE = 'usage: npm run token -- create --org <slug> [--name <label>]\n       npm run token -- list --org <slug>';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { org: { type: 'string' }, name: { type: 'string', default: 'integration' } } });
const command = positionals[0];
if ((command !== 'create' && command !== 'list') || !values.org) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

const config = loadConfig();
const database = config.DATABASE_URL ? openDatabase({ databaseUrl: config.DATABASE_URL, poolMax: 2 }) : openDatabase({ dataDir: config.DATA_DIR });
try {
  await migrateToLatest(database.db);
  const org = await database.db.selectFrom('organisations').select(['id', 'name']).where('slug', '=', values.org).executeTakeFirst();
  if (!org) {
    const known = await database.db.selectFrom('organisations').select('slug').orderBy('slug').execute();
    process.stderr.write(`No organisation with slug "${values.org}". Known: ${known.map((k) => k.slug).join(', ') || 'none'}\n`);
    process.exitCode = 1;
  } else if (command === 'create') {
    const token = await createApiToken(database.db, org.id, values.name);
    process.stdout.write(`API token "${values.name}" for ${org.name} (shown once, keep it secret):\n${token}\n`);
  } else {
    const tokens = await database.db.selectFrom('api_tokens').select(['name', 'created_at', 'revoked_at']).where('org_id', '=', org.id).orderBy('created_at').execute();
    for (const t of tokens) process.stdout.write(`${t.name}\tcreated ${t.created_at.toISOString()}${t.revoked_at ? `\trevoked ${t.revoked_at.toISOString()}` : ''}\n`);
  }
} finally {
  await database.close();
}
