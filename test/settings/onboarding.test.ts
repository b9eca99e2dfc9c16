/**
 * Creating a garage (issue 13 item 0): the operator API behind
 * OPERATOR_TOKEN and `npm run org -- create` both create the organisation
 * with its default roles and owner, and hand out a one-time link with which
 * the owner chooses a password and signs in; the link works once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { startTestServer, PUBLIC_BASE_URL, type TestServer } from '../support/server.js';
import { STAFF_PASSWORD } from '../support/fixtures.js';
import { call, signInAs } from '../auth/support.js';

const OPERATOR_TOKEN = randomBytes(24).toString('base64url');
let server: TestServer;
let closed: TestServer;

before(async () => {
  [server, closed] = await Promise.all([startTestServer({ OPERATOR_TOKEN, RUN_WORKER: 'false' }), startTestServer({ RUN_WORKER: 'false' })]);
});
after(async () => {
  await server?.close();
  await closed?.close();
});

const createGarage = (target: TestServer, body: unknown, token: string | null = OPERATOR_TOKEN) => fetch(`${target.baseUrl}/operator/organisations`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
});
const setPassword = (token: string) => fetch(`${server.baseUrl}/auth/password-reset/confirm`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: STAFF_PASSWORD }),
});

test('the operator API creates a garage whose owner sets a password with the one-time link, signs in and holds every capability', async () => {
  const slug = `api-${randomBytes(3).toString('hex')}`;
  const res = await createGarage(server, { name: 'Api Motors', slug, ownerEmail: 'Owner@Api-Motors.example', ownerName: 'Alex Api' });
  assert.equal(res.status, 201);
  const body = await res.json() as { id: string; slug: string; setPasswordUrl: string; expiresAt: string };
  assert.equal(body.slug, slug);
  const url = new URL(body.setPasswordUrl);
  assert.equal(`${url.origin}${url.pathname}`, `${PUBLIC_BASE_URL}/reset-password`);
  const days = (Date.parse(body.expiresAt) - Date.now()) / 86_400_000;
  assert.ok(days > 6.9 && days <= 7, `valid for 7 days, got ${days}`);

  const token = url.searchParams.get('token')!;
  assert.equal((await setPassword(token)).status, 200);
  assert.equal((await setPassword(token)).status, 400, 'the link works once');
  const session = await signInAs(server, 'owner@api-motors.example');
  const me = await call(server, session, 'GET', '/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.orgId, body.id);
  assert.equal(me.json.role, 'Owner');
  assert.ok((me.json.capabilities as string[]).includes('settings.communication.manage'));
  const roles = await server.db.selectFrom('roles').select('key').where('org_id', '=', body.id).orderBy('key').execute();
  assert.deepEqual(roles.map((r) => r.key), ['manager', 'owner', 'service_advisor', 'technician']);

  const again = await createGarage(server, { name: 'Other', slug, ownerEmail: 'x@y.example' });
  assert.equal(again.status, 409);
  assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'conflict');
});

test('the operator API refuses a wrong token (401) and a malformed slug (400), and does not exist without OPERATOR_TOKEN (404)', async () => {
  const good = { name: 'X', slug: `x-${randomBytes(3).toString('hex')}`, ownerEmail: 'x@x.example' };
  assert.equal((await createGarage(server, good, 'wrong')).status, 401);
  assert.equal((await createGarage(server, good, null)).status, 401);
  const bad = await createGarage(server, { ...good, slug: 'Not A Slug' });
  assert.equal(bad.status, 400);
  assert.equal((await createGarage(closed, good)).status, 404);
  assert.equal(await server.db.selectFrom('organisations').select('id').where('slug', '=', good.slug).executeTakeFirst(), undefined);
});

test('npm run org -- create prints the owner\'s link; a taken slug exits 1; bad arguments exit 2', { timeout: 120_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tf-org-cli-'));
  const { DATABASE_URL: _embedded, ...env } = process.env;
  const run = (args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/org.ts', ...args], {
    env: { ...env, DATA_DIR: dataDir, PUBLIC_BASE_URL, SEED_DEMO: 'false', LOG_LEVEL: 'silent' },
  }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
  try {
    const created = await run(['create', '--name', "Smith's Garage", '--slug', 'smiths', '--owner-email', 'sam@smiths.example', '--owner-name', 'Sam Smith']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created Smith's Garage \(slug smiths/);
    assert.match(created.stdout, new RegExp(`${PUBLIC_BASE_URL}/reset-password\\?token=[A-Za-z0-9_-]{20,}`));
    const taken = await run(['create', '--name', 'Again', '--slug', 'smiths', '--owner-email', 'a@b.example']);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /already exists/);
    const usage = await run(['create', '--name', 'No slug']);
    assert.equal(usage.code, 2);
    const list = await run(['list']);
    assert.match(list.stdout, /^smiths\tSmith's Garage\t/m);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
