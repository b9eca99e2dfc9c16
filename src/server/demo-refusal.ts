/**
 * Issue 10 item 3: a server reachable from other hosts refuses to start
 * while anything published with the demo is in force: the demo provider
 * secrets (anyone could sign webhooks), seeding the demo garage, or a demo
 * garage already in the database whose staff still have the published
 * password or whose Twilio numbers still carry the demo auth token.
 *
 * "Reachable" is `Config.publiclyReachable`: HOST is not a loopback address,
 * or PUBLIC_BASE_URL names a non-loopback host (a TLS proxy forwards to it).
 * The zero-setup demo on loopback is unaffected. The override
 * `ALLOW_DEMO_ON_PUBLIC_HOST=i-understand-this-is-insecure` starts anyway,
 * with an error-level log line naming every finding.
 */
import type { Kysely } from 'kysely';
import { DEMO_CREDENTIALS_ENCRYPTION_KEY, DEMO_TWILIO_AUTH_TOKEN, type Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { verifyPassword } from '../auth/passwords.js';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../seed/demo-data.js';
import { StartupError } from './startup-error.js';
import { secretBoxFor } from '../channels/credentials/secret-box.js';

/** One thing published with the demo that is in force, and how to end it. */
export type DemoFinding = { what: string; fix: string };

/** What the database holds of the demo: staff emails with the published password, Twilio numbers with the demo token. */
export type DemoAccounts = { staffWithDemoPassword: string[]; twilioNumbersWithDemoToken: string[] };

/**
 * The pure rule: which demo secrets and accounts are in force.
 * @returns one finding per variable or account, in a stable order; empty when none
 */
export function demoFindings(config: Pick<Config, 'demoSecretsInForce' | 'SEED_DEMO' | 'DEMO_TWILIO_AUTH_TOKEN'>, accounts: DemoAccounts): DemoFinding[] {
  const findings: DemoFinding[] = config.demoSecretsInForce.map((name) => ({ what: `${name} has its published demo value`, fix: `set ${name}` }));
  if (config.SEED_DEMO) findings.push({ what: 'SEED_DEMO is true (the demo garage with the published password is seeded into an empty database)', fix: 'set SEED_DEMO=false' });
  if (accounts.staffWithDemoPassword.length > 0) {
    findings.push({ what: `demo staff accounts still have the published password: ${accounts.staffWithDemoPassword.join(', ')}`, fix: 'change their passwords or disable them' });
  }
  if (accounts.twilioNumbersWithDemoToken.length > 0) {
    const unset = config.DEMO_TWILIO_AUTH_TOKEN === DEMO_TWILIO_AUTH_TOKEN;
    findings.push({
      what: `Twilio numbers still carry the ${unset ? 'published ' : ''}DEMO_TWILIO_AUTH_TOKEN: ${accounts.twilioNumbersWithDemoToken.join(', ')}`,
      fix: 'store the real auth token on those numbers or remove them',
    });
  }
  return findings;
}

/** Look up the demo accounts in the database (as the table owner, across garages). */
export async function findDemoAccounts(db: Kysely<Database>, config: Config): Promise<DemoAccounts> {
  const staff = await db.selectFrom('staff_users').select(['email', 'password_hash'])
    .where('email', 'in', DEMO_STAFF.map((u) => u.email)).where('disabled_at', 'is', null).execute();
  const staffWithDemoPassword: string[] = [];
  for (const user of staff) if (await verifyPassword(user.password_hash, DEMO_STAFF_PASSWORD)) staffWithDemoPassword.push(user.email);
  // Auth tokens are sealed at rest (src/channels/credentials): compare the opened values.
  // A token sealed with the published demo key (a seeded demo garage) counts too.
  const boxes = [secretBoxFor(config), secretBoxFor({ CREDENTIALS_ENCRYPTION_KEY: DEMO_CREDENTIALS_ENCRYPTION_KEY, CREDENTIALS_ENCRYPTION_KEY_PREVIOUS: undefined })];
  const opened = (stored: string): string | null => {
    for (const box of boxes) {
      try {
        return box.open(stored);
      } catch {
        // sealed with another key: try the next
      }
    }
    return null;
  };
  const demoTokens = new Set([DEMO_TWILIO_AUTH_TOKEN, config.DEMO_TWILIO_AUTH_TOKEN]);
  const numbers = await db.selectFrom('channel_identities').select(['address', 'auth_token'])
    .where('provider', '=', 'twilio').where('auth_token', 'is not', null).orderBy('address').execute();
  const withDemoToken = numbers.filter((n) => n.auth_token !== null && demoTokens.has(opened(n.auth_token) ?? ''));
  return { staffWithDemoPassword: staffWithDemoPassword.sort(), twilioNumbersWithDemoToken: withDemoToken.map((n) => n.address) };
}

/**
 * Refuse to start a publicly reachable server while demo secrets or accounts
 * are in force, unless the override is set.
 * @returns the findings the override let through (the caller logs them loudly); empty otherwise
 * @throws StartupError naming every variable and account to change
 */
export async function refuseDemoOnPublicHost(db: Kysely<Database>, config: Config): Promise<DemoFinding[]> {
  if (!config.publiclyReachable) return [];
  const findings = demoFindings(config, await findDemoAccounts(db, config));
  if (findings.length === 0 || config.ALLOW_DEMO_ON_PUBLIC_HOST) return findings;
  throw new StartupError([
    `Refusing to start: this server is reachable from other hosts (HOST=${config.HOST}, PUBLIC_BASE_URL=${config.PUBLIC_BASE_URL}) while demo settings published with Torqueflow are in force:`,
    ...findings.map((f) => `  - ${f.what}: ${f.fix}`),
    'Fix them (see README "Running in production"), or bind HOST=127.0.0.1 with a loopback PUBLIC_BASE_URL for a local demo.',
    'To start anyway (insecure: anyone can sign webhooks or sign in), set ALLOW_DEMO_ON_PUBLIC_HOST=i-understand-this-is-insecure.',
  ].join('\n'));
}
