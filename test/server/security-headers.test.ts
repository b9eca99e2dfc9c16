/**
 * Issue 10 item 17: every page carries the security headers (CSP without
 * inline script, frame-ancestors, nosniff); HSTS only behind TLS.
 * The staff app and pages still working under the policy is checked in
 * Chromium by test/browser/*.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

function directives(csp: string | null): Map<string, string[]> {
  assert.ok(csp, 'a Content-Security-Policy header');
  return new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...values] = d.split(/\s+/);
    return [name!, values];
  }));
}

describe('behind TLS (PUBLIC_BASE_URL https)', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(() => server?.close());

  for (const path of ['/messages', '/login', '/dashboard', '/l/Unknown123', '/health', '/v1/me', '/no-such-page']) {
    test(`${path}: CSP without inline script, no framing, nosniff, HSTS`, async () => {
      const res = await fetch(server.baseUrl + path, { redirect: 'manual' });
      await res.arrayBuffer();
      const csp = directives(res.headers.get('content-security-policy'));
      assert.deepEqual(csp.get('script-src'), ["'self'"]);
      assert.deepEqual(csp.get('script-src-attr'), ["'none'"]);
      assert.deepEqual(csp.get('default-src'), ["'self'"]);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
      assert.deepEqual(csp.get('object-src'), ["'none'"]);
      assert.ok(csp.has('upgrade-insecure-requests'));
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('referrer-policy'), 'same-origin');
      assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=31536000/);
    });
  }
});

describe('the plain-http loopback demo', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ PUBLIC_BASE_URL: 'http://localhost:3000' }); });
  after(() => server?.close());

  test('no HSTS and no upgrade-insecure-requests (nothing listens on https), the rest as behind TLS', async () => {
    const res = await fetch(`${server.baseUrl}/login`);
    await res.arrayBuffer();
    assert.equal(res.headers.get('strict-transport-security'), null);
    const csp = directives(res.headers.get('content-security-policy'));
    assert.equal(csp.has('upgrade-insecure-requests'), false);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });
});
