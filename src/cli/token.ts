/**
 * `npm run token -- create --org <slug> [--name <label>]`: create an
 * organisation API token and print it (it is shown only this once).
 * `npm run token -- list --org <slug>`: list an organisation's tokens (id, name, dates).
 * `npm run token -- revoke --org <slug> (--id <uuid> | --name <label>)`: revoke
 * tokens at once (every request with them answers 401 from then on, and their
 * open real-time streams end within seconds); exits 1 when none matched.
 *
 * Opens the configured database directly (DATABASE_URL, or the embedded
 * database in DATA_DIR: stop the server first, the embedded database allows
 * one process at a time, and a folder in use is refused). Any error exits 1.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { exitWithStartupError } from '../server/startup-error.js';
import { createApiToken, revokeApiTokens } from '../api/api-tokens.js';

const USAGE = 'usage: npm run token -- create --org <slug> [--name <label>]\n       npm run token -- list --org <slug>\n       npm run token -- revoke --org <slug> (--id <uuid> | --name <label>)';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { org: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' } } });
const command = positionals[0];
const revokeTarget = command === 'revoke' && (values.id ?? values.name);
if (!['create', 'list', 'revoke'].includes(command ?? '') || !values.org || (command === 'revoke' && !revokeTarget)) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

let database: ReturnType<typeof openDatabase>;
let exitCode = 0;
try {
  const config = loadConfig();
  database = config.DATABASE_URL ? openDatabase({ databaseUrl: config.DATABASE_URL, poolMax: 2 }) : openDatabase({ dataDir: config.DATA_DIR, sharedBuffers: config.PGLITE_SHARED_BUFFERS });
} catch (err) {
  exitWithStartupError(err);
}
try {
  await migrateToLatest(database.db);
  const org = await database.db.selectFrom('organisations').select(['id', 'name']).where('slug', '=', values.org).executeTakeFirst();
  if (!org) {
    const known = await database.db.selectFrom('organisations').select('slug').orderBy('slug').execute();
    process.stderr.write(`No organisation with slug "${values.org}". Known: ${known.map((k) => k.slug).join(', ') || 'none'}\n`);
    exitCode = 1;
  } else if (command === 'create') {
    const name = values.name ?? 'integration';
    const token = await createApiToken(database.db, org.id, name);
    process.stdout.write(`API token "${name}" for ${org.name} (shown once, keep it secret):\n${token}\n`);
  } else if (command === 'revoke') {
    const revoked = await revokeApiTokens(database.db, org.id, values.id ? { id: values.id } : { name: values.name! });
    if (revoked.length === 0) {
      process.stderr.write(`No active token of ${org.name} matches ${values.id ? `id ${values.id}` : `name "${values.name}"`}.\n`);
      process.exitCode = 1;
    }
    for (const t of revoked) process.stdout.write(`revoked ${t.id}\t${t.name}\n`);
  } else {
    const tokens = await database.db.selectFrom('api_tokens').select(['id', 'name', 'created_at', 'revoked_at']).where('org_id', '=', org.id).orderBy('created_at').execute();
    for (const t of tokens) process.stdout.write(`${t.id}\t${t.name}\tcreated ${t.created_at.toISOString()}${t.revoked_at ? `\trevoked ${t.revoked_at.toISOString()}` : ''}\n`);
  }
} catch (err) {
  await database.close().catch(() => undefined);
  exitWithStartupError(err);
}
await database.close();
// Exit with the code decided above (PGlite's shutdown must not turn a failure into 0).
process.exit(exitCode);
