/**
 * The provider side of `bench/send.ts`, run as a child process so that the
 * fake provider does not share an event loop with the delivery worker (as
 * the real Twilio would not).
 *
 * Serves the test suite's fake Twilio Messages API (`startFakeTwilio`,
 * test/support/fake-providers): `POST /2010-04-01/Accounts/{sid}/Messages.json`
 * answered with Twilio's 201 Message JSON. Every answer is a success with
 * `status: "sent"` (so the stored message reaches status `sent` as soon as
 * its provider id is committed), a price, and a fresh `SM…` sid that is
 * logged with the request it answered, so the driver can check that each
 * message was sent once and that the sid stored for it is the one the
 * provider issued for it.
 *
 * IPC: sends `ready`; answers `take` with every request logged since the
 * previous `take`; exits on `close` or when the parent goes away.
 */
import { fakeTwilioSid, startFakeTwilio } from '../../test/support/fake-providers/index.js';
import { FAKE_PRICE, FAKE_PRICE_UNIT, type FakeRequest, type FromFake, type ToFake } from './fake-twilio-protocol.js';

function tell(message: FromFake): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const fake = await startFakeTwilio();
  let log: FakeRequest[] = [];
  fake.respondWith((request) => {
    const sid = fakeTwilioSid();
    log.push({
      path: request.path,
      authorization: typeof request.headers.authorization === 'string' ? request.headers.authorization : null,
      to: request.body.To ?? null,
      from: request.body.From ?? null,
      body: request.body.Body ?? null,
      statusCallback: request.body.StatusCallback ?? null,
      sid,
    });
    // The fake keeps every request too; the driver only needs the log, so keep memory flat.
    if (fake.requests.length > 1000) fake.requests.length = 0;
    return { kind: 'success', status: 'sent', price: FAKE_PRICE, priceUnit: FAKE_PRICE_UNIT, sid };
  });

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await fake.close();
    process.exit(0);
  };
  process.on('message', (m: ToFake) => {
    if (m.type === 'take') {
      const taken = log;
      log = [];
      tell({ type: 'taken', requests: taken });
    } else if (m.type === 'close') {
      void shutdown();
    }
  });
  process.on('disconnect', () => void shutdown());
  tell({ type: 'ready', baseUrl: fake.baseUrl, pid: process.pid });
}

main().catch((err: unknown) => {
  tell({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  setTimeout(() => process.exit(1), 100).unref();
});
