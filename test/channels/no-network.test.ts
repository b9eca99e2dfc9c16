import { isLoopbackHost, NetworkBlockedError, takeBlockedConnections } from '../support/no-network.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { startFakeTwilio } from '../support/fake-providers/index.js';

// These tests provoke blocks on purpose; take them back so the end-of-file check stays green.
afterEach(() => {
  takeBlockedConnections();
});

test('net.connect to a non-loopback address throws synchronously, before any socket connects', () => {
  assert.throws(() => net.connect({ host: '10.255.255.1', port: 80 }), (err: unknown) => {
    assert.ok(err instanceof NetworkBlockedError);
    assert.equal(err.host, '10.255.255.1');
    assert.equal(err.port, 80);
    return true;
  });
  assert.throws(() => net.connect(443, 'api.twilio.com'), NetworkBlockedError, 'hostnames are blocked before DNS lookup');
  assert.throws(() => tls.connect({ host: 'graph.facebook.com', port: 443 }), NetworkBlockedError);

  const socket = new net.Socket();
  assert.throws(() => socket.connect({ host: '2001:db8::1', port: 25 }), NetworkBlockedError);
  assert.equal(socket.connecting, false, 'the socket never started connecting');
  assert.equal(socket.pending, true, 'the socket is not connected');
  assert.equal(socket.remoteAddress, undefined);
  socket.destroy();

  assert.deepEqual(takeBlockedConnections(), [
    { host: '10.255.255.1', port: 80 },
    { host: 'api.twilio.com', port: 443 },
    { host: 'graph.facebook.com', port: 443 },
    { host: '2001:db8::1', port: 25 },
  ]);
});

test('fetch to a non-loopback address rejects at once with the guard error as cause', async () => {
  // 10.255.255.1 is a black hole: a real connect would hang until the OS gives up.
  await assert.rejects(fetch('http://10.255.255.1/', { signal: AbortSignal.timeout(5000) }), (err: unknown) => {
    assert.ok(err instanceof TypeError);
    assert.ok(err.cause instanceof NetworkBlockedError, `cause: ${String(err.cause)}`);
    return true;
  });
  await assert.rejects(fetch('https://api.twilio.com/2010-04-01/Accounts.json'), (err: unknown) => {
    assert.ok(err instanceof TypeError && err.cause instanceof NetworkBlockedError);
    return true;
  });
  assert.deepEqual(takeBlockedConnections().map((b) => b.host), ['10.255.255.1', 'api.twilio.com']);
});

test('loopback stays allowed: fetch to a fake provider on 127.0.0.1 and localhost works', async () => {
  const fake = await startFakeTwilio();
  try {
    const port = new URL(fake.baseUrl).port;
    for (const host of ['127.0.0.1', 'localhost']) {
      const res = await fetch(`http://${host}:${port}/2010-04-01/Accounts/AC1/Messages.json`, { method: 'POST', body: 'To=%2B1' });
      assert.equal(res.status, 201);
      await res.arrayBuffer();
    }
  } finally {
    await fake.close();
  }
  assert.deepEqual(takeBlockedConnections(), []);
});

test('isLoopbackHost', () => {
  for (const h of ['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1']) {
    assert.equal(isLoopbackHost(h), true, h);
  }
  for (const h of ['10.0.0.1', '192.168.1.1', '0.0.0.0', '::', '2001:db8::1', 'example.com', 'localhost.example.com', '128.0.0.1', '::ffff:10.0.0.1']) {
    assert.equal(isLoopbackHost(h), false, h);
  }
});
