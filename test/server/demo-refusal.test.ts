/**
 * Issue 10 item 3: a server reachable from other hosts refuses to start with
 * the demo's published secrets or accounts; the loopback demo is unchanged;
 * ALLOW_DEMO_ON_PUBLIC_HOST=i-understand-this-is-insecure starts anyway, loudly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { demoFindings, refuseDemoOnPublicHost } from '../../src/server/demo-refusal.js';
import { StartupError } from '../../src/server/startup-error.js';
import { seedDemoIfEmpty } from '../../src/seed/demo.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { waitFor } from '../support/delivery.js';

const REAL_SECRETS = { WHATSAPP_APP_SECRET: 'a-real-app-secret', WHATSAPP_VERIFY_TOKEN: 'a-real-verify-token', CREDENTIALS_ENCRYPTION_KEY: Buffer.from('a-real-32-byte-credentials-key!!').toString('base64') };
const noAccounts = { staffWithDemoPassword: [], twilioNumbersWithDemoToken: [] };

describe('who can reach the server', () => {
  for (const [env, reachable] of [
    [{}, false],
    [{ HOST: 'localhost', PUBLIC_BASE_URL: 'http://127.0.0.1:3000' }, false],
    [{ HOST: '::1', PUBLIC_BASE_URL: 'http://[::1]:3000' }, false],
    [{ HOST: '0.0.0.0' }, true],
    [{ HOST: '192.168.1.20' }, true],
    [{ PUBLIC_BASE_URL: 'https://garage.example' }, true],
    [{ HOST: '127.0.0.1', PUBLIC_BASE_URL: 'https://messages.acme-motors.co.uk' }, true],
  ] as const) {
    test(`${JSON.stringify(env)} → ${reachable ? 'reachable' : 'loopback only'}`, () => {
      assert.equal(loadConfig(env).publiclyReachable, reachable);
    });
  }

  test('the override accepts only its exact, loudly named value', () => {
    assert.equal(loadConfig({ ALLOW_DEMO_ON_PUBLIC_HOST: 'i-understand-this-is-insecure' }).ALLOW_DEMO_ON_PUBLIC_HOST, true);
    assert.equal(loadConfig({}).ALLOW_DEMO_ON_PUBLIC_HOST, false);
    assert.throws(() => loadConfig({ ALLOW_DEMO_ON_PUBLIC_HOST: 'true' }), /ALLOW_DEMO_ON_PUBLIC_HOST: must be exactly "i-understand-this-is-insecure"/);
  });
});

describe('demo findings (the rule)', () => {
  test('defaults: both WhatsApp secrets, the credentials key and SEED_DEMO', () => {
    const findings = demoFindings(loadConfig({}), noAccounts);
    assert.deepEqual(findings.map((f) => f.fix), ['set WHATSAPP_APP_SECRET', 'set WHATSAPP_VERIFY_TOKEN', 'set CREDENTIALS_ENCRYPTION_KEY', 'set SEED_DEMO=false']);
  });
  test('real secrets and no seeding: nothing', () => {
    assert.deepEqual(demoFindings(loadConfig({ ...REAL_SECRETS, SEED_DEMO: 'false' }), noAccounts), []);
  });
  test('an existing demo garage: its staff with the published password and its numbers with the demo Twilio token', () => {
    const findings = demoFindings(loadConfig({ ...REAL_SECRETS, SEED_DEMO: 'false' }), { staffWithDemoPassword: ['owner@acme-motors.example'], twilioNumbersWithDemoToken: ['+447700900100'] });
    assert.equal(findings.length, 2);
    assert.match(findings[0]!.what, /owner@acme-motors\.example/);
    assert.match(findings[1]!.what, /published DEMO_TWILIO_AUTH_TOKEN: \+447700900100/);
  });
});

describe('an already seeded demo garage in the database', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'tf-demo-refusal-'));
    await seedDemoIfEmpty(database.db, loadConfig({ DATA_DIR: dir }));
    await rm(dir, { recursive: true, force: true });
  });
  after(() => database?.close());

  const publicConfig = () => loadConfig({ ...REAL_SECRETS, SEED_DEMO: 'false', PUBLIC_BASE_URL: 'https://garage.example' });

  test('refuses while the demo staff keep the published password and the demo number the demo token', async () => {
    await assert.rejects(refuseDemoOnPublicHost(database.db, publicConfig()), (err: Error) => {
      assert.ok(err instanceof StartupError);
      assert.match(err.message, /reachable from other hosts \(HOST=127\.0\.0\.1, PUBLIC_BASE_URL=https:\/\/garage\.example\)/);
      assert.match(err.message, /advisor@acme-motors\.example, manager@acme-motors\.example, owner@acme-motors\.example, tech@acme-motors\.example/);
      assert.match(err.message, /DEMO_TWILIO_AUTH_TOKEN/);
      assert.match(err.message, /ALLOW_DEMO_ON_PUBLIC_HOST=i-understand-this-is-insecure/);
      return true;
    });
  });

  test('the same database on loopback starts (the local demo)', async () => {
    assert.deepEqual(await refuseDemoOnPublicHost(database.db, loadConfig({ SEED_DEMO: 'false' })), []);
  });

  test('once the passwords are changed and the numbers carry real tokens, it starts', async () => {
    const hash = await hashPassword('a long private passphrase');
    await database.db.updateTable('staff_users').set({ password_hash: hash }).execute();
    await database.db.updateTable('channel_identities').set({ auth_token: 'real-twilio-token' }).where('provider', '=', 'twilio').execute();
    assert.deepEqual(await refuseDemoOnPublicHost(database.db, publicConfig()), []);
  });
});

describe('npm start (the real entry point)', () => {
  let dataDir: string;
  const children: ChildServer[] = [];
  before(async () => { dataDir = await mkdtemp(join(tmpdir(), 'tf-demo-start-')); });
  after(async () => {
    for (const c of children) await c.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a reachable server with the demo defaults exits 1 naming the variables, before seeding anything', async () => {
    await assert.rejects(startChildServer({ DATA_DIR: dataDir, HOST: '0.0.0.0' }), (err: Error) => {
      assert.match(err.message, /exited \(code 1/);
      assert.match(err.message, /Refusing to start: this server is reachable from other hosts \(HOST=0\.0\.0\.0/);
      for (const name of ['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'SEED_DEMO=false', 'ALLOW_DEMO_ON_PUBLIC_HOST']) assert.ok(err.message.includes(name), name);
      assert.doesNotMatch(err.message, /at .*\.ts:\d+/, 'a message, not a stack trace');
      assert.doesNotMatch(err.message, /Demo garage "Acme Motors" created/);
      return true;
    });
  });

  test('with the override it starts and says so at error level', async () => {
    const c = await startChildServer({ DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://garage.example', ALLOW_DEMO_ON_PUBLIC_HOST: 'i-understand-this-is-insecure' });
    children.push(c);
    await waitFor('the error-level warning', () => /"level":50.*INSECURE: ALLOW_DEMO_ON_PUBLIC_HOST/.test(c.output()));
    assert.equal((await fetch(`${c.baseUrl}/health`)).status, 200);
    await c.stop();
  });

  test('the zero-setup demo on loopback starts as before', async () => {
    const c = await startChildServer({ DATA_DIR: dataDir });
    children.push(c);
    await waitFor('the ready line', () => c.output().includes('Torqueflow Messaging is ready'));
    assert.doesNotMatch(c.output(), /INSECURE|Refusing/);
    assert.equal((await fetch(`${c.baseUrl}/health`)).status, 200);
    // Every demo start issues the replay's portal customer a fresh magic link (src/seed/demo-portal-link.ts).
    const link = JSON.parse(await readFile(join(dataDir, 'demo-portal-link'), 'utf8')) as { code: string; customerName: string };
    assert.equal(link.customerName, 'Robin Fairweather');
    const page = await fetch(`${c.baseUrl}/l/${link.code}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Continue/);
    await c.stop();
  });
});
