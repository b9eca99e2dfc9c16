/**
 * Operator commands for garages (organisations):
 * - `npm run org -- create --name "Smith's Garage" --slug smiths --owner-email sam@smiths.example [--owner-name "Sam Smith"]`:
 *   create the garage with its default roles and its owner, and print the owner's one-time
 *   set-password link (valid 7 days, single use; shown only this once);
 * - `npm run org -- owner-link --slug smiths --email sam@smiths.example`: a fresh link (the first one expired or was lost);
 * - `npm run org -- list`: every garage (slug, name, created).
 * Links use PUBLIC_BASE_URL, so run it with the server's environment.
 *
 * Opens the configured database directly (DATABASE_URL, or the embedded
 * database in DATA_DIR: stop the server first, the embedded database allows
 * one process at a time). Bad arguments exit 2, any other error 1.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { exitWithStartupError } from '../server/startup-error.js';
import { AppError } from '../server/errors.js';
import { onboardOrganisation, reissueOwnerLink, setPasswordLink } from '../organisations/onboard-organisation.js';

const USAGE = [
  'usage: npm run org -- create --name <name> --slug <slug> --owner-email <email> [--owner-name <name>]',
  '       npm run org -- owner-link --slug <slug> --email <email>',
  '       npm run org -- list',
].join('\n');

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string' }, slug: { type: 'string' }, 'owner-email': { type: 'string' }, 'owner-name': { type: 'string' }, email: { type: 'string' } },
});
const command = positionals[0];
const valid = (command === 'create' && values.name && values.slug && values['owner-email'])
  || (command === 'owner-link' && values.slug && values.email)
  || command === 'list';
if (!valid) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

let database: ReturnType<typeof openDatabase>;
let exitCode = 0;
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
  database = config.DATABASE_URL ? openDatabase({ databaseUrl: config.DATABASE_URL, poolMax: 2 }) : openDatabase({ dataDir: config.DATA_DIR, sharedBuffers: config.PGLITE_SHARED_BUFFERS });
} catch (err) {
  exitWithStartupError(err);
}
try {
  await migrateToLatest(database.db);
  if (command === 'create') {
    const garage = await onboardOrganisation(database.db, { name: values.name!, slug: values.slug!, ownerEmail: values['owner-email']!, ownerName: values['owner-name'] ?? '' });
    process.stdout.write([
      `Created ${values.name} (slug ${garage.slug}, id ${garage.orgId}) with owner ${values['owner-email']!.trim().toLowerCase()}.`,
      `Send the owner this one-time link to choose a password (valid until ${garage.expiresAt.toISOString()}, shown once):`,
      setPasswordLink(config.PUBLIC_BASE_URL, garage.setPasswordToken),
      'Then, signed in, connect Twilio and WhatsApp in Settings > Channels.',
      '',
    ].join('\n'));
  } else if (command === 'owner-link') {
    const link = await reissueOwnerLink(database.db, values.slug!, values.email!);
    process.stdout.write(`One-time set-password link (valid until ${link.expiresAt.toISOString()}):\n${setPasswordLink(config.PUBLIC_BASE_URL, link.token)}\n`);
  } else {
    const orgs = await database.db.selectFrom('organisations').select(['slug', 'name', 'created_at']).orderBy('created_at').execute();
    for (const o of orgs) process.stdout.write(`${o.slug}\t${o.name}\tcreated ${o.created_at.toISOString()}\n`);
  }
} catch (err) {
  if (err instanceof AppError) {
    process.stderr.write(`${err.message}\n`);
    exitCode = 1;
  } else {
    await database.close().catch(() => undefined);
    exitWithStartupError(err);
  }
}
await database.close();
process.exit(exitCode);
