/**
 * What `bench/send.ts` and its fake Twilio child share: the IPC messages
 * and the price the fake quotes on every message.
 */

/** Twilio's `price` on every answer (negative decimal string, as Twilio writes it) and its unit. */
export const FAKE_PRICE = '-0.00790';
export const FAKE_PRICE_UNIT = 'USD';
/** The cost the application should store for each message. */
export const EXPECTED_COST = '0.00790';

/** One request the fake answered, with the sid it answered. */
export type FakeRequest = {
  path: string;
  authorization: string | null;
  to: string | null;
  from: string | null;
  body: string | null;
  statusCallback: string | null;
  sid: string;
};

export type ToFake = { type: 'take' } | { type: 'close' };

export type FromFake =
  | { type: 'ready'; baseUrl: string; pid: number }
  | { type: 'taken'; requests: FakeRequest[] }
  | { type: 'failed'; message: string };
