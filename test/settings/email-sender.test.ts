/**
 * Settings › Channels › Email sender is verified before it is saved (issue
 * 13 item 0): the server's mail server (SMTP_URL) must accept a connection
 * and login; when it does not, the answer is 502 `provider_unreachable` and
 * the garage keeps the sender it had.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, createStaff } from '../support/fixtures.js';
import { startFakeSmtp, type FakeSmtp } from '../support/fake-providers/smtp.js';
import { call, signInAs } from '../auth/support.js';

let smtp: FakeSmtp;
const servers: TestServer[] = [];

before(async () => {
  smtp = await startFakeSmtp();
});
after(async () => {
  for (const s of servers) await s.close();
  await smtp?.close();
});

async function ownerOf(env: Record<string, string>) {
  const server = await startTestServer({ RUN_WORKER: 'false', ...env });
  servers.push(server);
  const org = await createOrg(server.db);
  const owner = await signInAs(server, (await createStaff(server.db, org, 'owner')).email);
  const stored = () => server.db.selectFrom('channel_identities').select('address').where('org_id', '=', org.id).where('provider', '=', 'smtp').execute();
  return { server, owner, stored };
}

test('a mail server that accepts the login: the sender is saved', async () => {
  const { server, owner, stored } = await ownerOf({ SMTP_URL: smtp.smtpUrl });
  const res = await call(server, owner, 'PUT', '/v1/settings/channels/email', { fromAddress: 'service@garage.example' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(await stored(), [{ address: 'service@garage.example' }]);
});

test('a mail server that cannot be reached: 502 with a clear reason, and nothing changes', async () => {
  const { server, owner, stored } = await ownerOf({ SMTP_URL: 'smtp://user:secret-password@127.0.0.1:9', PROVIDER_TIMEOUT_MS: '2000' });
  const before = await stored();
  const res = await call(server, owner, 'PUT', '/v1/settings/channels/email', { fromAddress: 'service@garage.example' });
  assert.equal(res.status, 502, res.text);
  assert.equal(res.json.error.code, 'provider_unreachable');
  assert.match(res.json.error.message, /mail server \(SMTP_URL\).*Nothing was saved/);
  assert.doesNotMatch(res.text, /secret-password/, 'the SMTP password never reaches the answer');
  assert.deepEqual(await stored(), before, 'the garage keeps the sender it had');
  assert.ok(!before.some((r) => r.address === 'service@garage.example'));
});
