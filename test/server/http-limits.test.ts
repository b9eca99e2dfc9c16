/**
 * Issue 10 item 15: a slow body is answered 408 and dropped, an oversized body
 * is refused with 413, and the real-time stream outlives the request timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/fixtures.js';
import { newSid, postTwilio, smsParams } from '../support/providers.js';
import { openEvents } from '../realtime/sse-client.js';

const REQUEST_TIMEOUT_MS = 1_000;
let server: TestServer;
let org: TestOrg;

before(async () => {
  server = await startTestServer({ HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), HTTP_BODY_LIMIT_BYTES: '65536' });
  org = await createOrg(server.db);
});
after(() => server?.close());

/** Open a raw connection, send the head of a POST and a few body bytes, then nothing. */
function slowBody(port: number): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST /twilio/sms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nBody=Hel');
    });
    socket.setEncoding('utf8').on('data', (chunk: string) => { answer += chunk; });
    socket.on('close', () => resolve({ answer, closedAfterMs: Date.now() - started }));
    socket.on('error', reject);
    setTimeout(() => { socket.destroy(); reject(new Error(`the slow request was still held after 15 s (answer so far: ${JSON.stringify(answer)})`)); }, 15_000).unref();
  });
}

describe('HTTP limits', () => {
  test('a body that never finishes is answered 408 and the connection closed', async () => {
    const port = new URL(server.baseUrl).port;
    const { answer, closedAfterMs } = await slowBody(Number(port));
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.ok(closedAfterMs >= REQUEST_TIMEOUT_MS - 50, `not before the timeout (${closedAfterMs} ms)`);
  });

  test('a JSON body over HTTP_BODY_LIMIT_BYTES answers 413 payload_too_large', async () => {
    const res = await fetch(`${server.baseUrl}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@b.example', password: 'x'.repeat(70_000) }) });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'payload_too_large');
  });

  test('GET /v1/events is not cut by the request timeout: still open and delivering after three timeouts', async () => {
    const stream = await openEvents(server.baseUrl, { token: org.apiToken });
    let ended = false;
    void stream.ended.then(() => { ended = true; });
    await sleep(REQUEST_TIMEOUT_MS * 3 + 500);
    assert.equal(ended, false);
    const sent = await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: '+447700900555', to: org.twilioNumber, body: 'Still there?' }), org.twilioAuthToken);
    assert.equal(sent.status, 200);
    const deadline = Date.now() + 10_000;
    while (!stream.events.some((e) => e.data.type === 'message.created') && Date.now() < deadline) await sleep(25);
    assert.ok(stream.events.some((e) => e.data.type === 'message.created'), 'the event arrived on the long-lived stream');
    stream.close();
  });
});
