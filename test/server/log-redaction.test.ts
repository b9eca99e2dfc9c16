/**
 * Issue 10 item 7: request logs never carry magic-link codes, reset tokens,
 * search terms or other unlisted query values, and a reset link is never
 * logged outside the loopback demo. The server's real logger output is
 * captured line by line.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { redactUrl } from '../../src/server/log-redaction.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, createStaff, type TestOrg } from '../support/fixtures.js';

describe('redactUrl', () => {
  for (const [url, expected] of [
    ['/l/Ab3dE5gH', '/l/[redacted]'],
    ['/l/Ab3dE5gH?x=1', '/l/[redacted]?x=[redacted]'],
    ['/reset-password?token=abc123', '/reset-password?token=[redacted]'],
    ['/v1/conversations?q=07700%20900123&limit=50', '/v1/conversations?q=[redacted]&limit=50'],
    ['/v1/conversations?range=custom&start=2026-01-01&end=2026-01-31&filter=unread', '/v1/conversations?range=custom&start=2026-01-01&end=2026-01-31&filter=unread'],
    ['/v1/work-orders?q=Sam+Patel', '/v1/work-orders?q=[redacted]'],
    ['/anything?api_key=k&access_token=t&code=c&email=a%40b.c', '/anything?api_key=[redacted]&access_token=[redacted]&code=[redacted]&email=[redacted]'],
    ['/x?%E0%A4%A=1', '/x?[redacted]'],
    ['/x?secretflag', '/x?[redacted]'],
    ['/v1/events?lastEventId=5', '/v1/events?lastEventId=5'],
    ['/messages', '/messages'],
  ] as const) {
    test(`${url} → ${expected}`, () => assert.equal(redactUrl(url), expected));
  }
});

type Captured = { lines: string[]; stream: { write(line: string): void } };
function capture(): Captured {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => { lines.push(line); } } };
}

async function exercise(server: TestServer, org: TestOrg, staffEmail: string) {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(server.baseUrl + path, { headers }).then((r) => r.arrayBuffer());
  await get('/l/Zq8xW2vKpL');
  await get('/reset-password?token=RESETTOKENsecret123');
  await get('/v1/conversations?q=07700900123&limit=5', { authorization: `Bearer ${org.apiToken}` });
  await get('/v1/conversations?q=%2B447700900123', { authorization: `Bearer ${org.apiToken}` });
  await fetch(`${server.baseUrl}/auth/password-reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: staffEmail }) }).then((r) => r.arrayBuffer());
  await sleep(200); // the reset email is sent after the answer
}

describe('the server log, on a server reachable from other hosts', () => {
  const log = capture();
  let server: TestServer;
  let org: TestOrg;
  let staffEmail: string;
  before(async () => {
    server = await startTestServer({ LOG_LEVEL: 'info' }, { logStream: log.stream });
    org = await createOrg(server.db);
    staffEmail = (await createStaff(server.db, org, 'owner')).email;
    await exercise(server, org, staffEmail);
  });
  after(() => server?.close());

  test('request lines are there, with the credentials and search terms redacted', () => {
    const urls = log.lines.map((l) => JSON.parse(l)).filter((l) => l.req?.url).map((l) => l.req.url as string);
    assert.ok(urls.includes('/l/[redacted]'), urls.join('\n'));
    assert.ok(urls.includes('/reset-password?token=[redacted]'));
    assert.ok(urls.includes('/v1/conversations?q=[redacted]&limit=5'));
  });

  test('no line carries the code, the token, the phone number or a reset link', () => {
    const all = log.lines.join('');
    for (const secret of ['Zq8xW2vKpL', 'RESETTOKENsecret123', '07700900123', '447700900123', org.apiToken]) assert.ok(!all.includes(secret), `log contains ${secret}`);
    assert.doesNotMatch(all, /reset-password\?token=(?!\[redacted\])/);
  });

  test('without SMTP the reset email is not logged: only that it was not sent', () => {
    const mailLines = log.lines.filter((l) => l.includes('SMTP_URL is not set'));
    assert.equal(mailLines.length, 1);
    assert.doesNotMatch(mailLines[0]!, /token|reset-password|Hello/);
    assert.ok(!mailLines[0]!.includes(staffEmail), 'nor the staff email');
  });
});

describe('the server log of the loopback demo', () => {
  const log = capture();
  let server: TestServer;
  let staffEmail: string;
  before(async () => {
    server = await startTestServer({ LOG_LEVEL: 'info', PUBLIC_BASE_URL: 'http://localhost:3000' }, { logStream: log.stream });
    const org = await createOrg(server.db);
    staffEmail = (await createStaff(server.db, org, 'owner')).email;
    await exercise(server, org, staffEmail);
  });
  after(() => server?.close());

  test('request URLs are redacted here too', () => {
    const all = log.lines.join('');
    for (const secret of ['Zq8xW2vKpL', 'RESETTOKENsecret123', '07700900123']) assert.ok(!all.includes(secret), secret);
  });

  test('without SMTP the reset email, link included, is written to the log so the local user can follow it', () => {
    const mail = log.lines.map((l) => JSON.parse(l)).find((l) => String(l.msg).includes('SMTP_URL is not set'));
    assert.ok(mail, 'the email was logged');
    assert.match(mail.text, /http:\/\/localhost:3000\/reset-password\?token=\S+/);
    assert.equal(mail.to, staffEmail);
  });
});
