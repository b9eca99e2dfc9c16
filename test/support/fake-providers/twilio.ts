/**
 * A fake Twilio Messages REST API (provider-protocols.md §4) for tests:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` answers Twilio's
 * real 201 Message JSON (`sid` "SM" + 32 hex, `status` `queued`, or
 * `accepted` when sent through a Messaging Service) or Twilio's error JSON
 * `{code, message, more_info, status}`. Other paths answer Twilio's 404.
 *
 * @example
 * const twilio = await startFakeTwilio();
 * twilio.respondWith({ kind: 'error', status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
 * // … adapter baseUrl = twilio.baseUrl …
 * assert.equal(twilio.requests[0]?.body.To, '+447700900123');
 * await twilio.close();
 */
import { randomBytes } from 'node:crypto';
import { startHttpFake, type CommonScript, type FakeHttpProvider, type HttpAnswer, type RecordedRequest } from './http-fake.js';

/** Form fields as Twilio reads them (last value wins for repeated keys). */
export type TwilioRequestBody = Record<string, string>;

export type TwilioScript =
  | CommonScript
  /**
   * 201 Message JSON; override the initial `status` or set a `price` (negative decimal string) and `priceUnit`.
   * `sid` fixes the message sid the fake answers (default: a fresh random one), so a test can
   * send a status callback for it while the answer is still delayed.
   */
  | { kind: 'success'; status?: string; price?: string | null; priceUnit?: string; sid?: string; delayMs?: number }
  /** Twilio's error JSON with this HTTP status and code; `retryAfter` sets the Retry-After header (seconds or HTTP-date). */
  | { kind: 'error'; status: number; code: number; message: string; retryAfter?: string; delayMs?: number };

export type FakeTwilio = FakeHttpProvider<TwilioRequestBody, TwilioScript>;

export type FakeTwilioOptions = {
  /**
   * When set, requests whose Basic auth is not `{AccountSid in the path}:{authToken}`
   * get Twilio's 401 with code 20003 instead of a scripted success/error
   * (the request still consumes its script step; hang/drop/raw apply as scripted).
   */
  authToken?: string;
};

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

/**
 * Start the fake on 127.0.0.1 (random port). Default answer: success.
 * @returns the fake; `requests[i].body` is the parsed form
 */
export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  return startHttpFake<TwilioRequestBody, TwilioScript>({
    parseBody: (raw) => Object.fromEntries(new URLSearchParams(raw)),
    defaultScript: () => ({ kind: 'success' }),
    render: (script, request) => {
      const accountSid = MESSAGES_PATH.exec(request.path.split('?')[0]!)?.[1];
      if (request.method !== 'POST' || !accountSid) {
        return twilioErrorAnswer(404, 20404, `The requested resource ${request.path} was not found`);
      }
      if (options.authToken !== undefined && basicAuth(request) !== `${accountSid}:${options.authToken}`) {
        return twilioErrorAnswer(401, 20003, 'Authenticate');
      }
      if (script.kind === 'error') {
        const answer = twilioErrorAnswer(script.status, script.code, script.message);
        if (script.retryAfter !== undefined) answer.headers = { 'retry-after': script.retryAfter };
        if (script.delayMs !== undefined) answer.delayMs = script.delayMs;
        return answer;
      }
      const answer: HttpAnswer = { status: 201, json: messageResource(accountSid, request.body, script) };
      if (script.delayMs !== undefined) answer.delayMs = script.delayMs;
      return answer;
    },
  });
}

/** A Twilio `SM…` sid: "SM" and 32 lowercase hex digits. */
export function fakeTwilioSid(prefix = 'SM'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

function twilioErrorAnswer(status: number, code: number, message: string): HttpAnswer {
  return { status, json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

function basicAuth(request: RecordedRequest<TwilioRequestBody>): string | null {
  const header = request.headers.authorization;
  if (!header?.startsWith('Basic ')) return null;
  return Buffer.from(header.slice(6), 'base64').toString('utf8');
}

/** Twilio's Message resource as returned on create (dates RFC 2822, counts as strings). */
function messageResource(accountSid: string, form: TwilioRequestBody, script: Extract<TwilioScript, { kind: 'success' }>) {
  const sid = script.sid ?? fakeTwilioSid();
  const now = new Date().toUTCString().replace('GMT', '+0000');
  const viaService = !form.From && !!form.MessagingServiceSid;
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: form.Body ?? '',
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: form.From ?? null,
    messaging_service_sid: form.MessagingServiceSid ?? null,
    num_media: '0',
    num_segments: viaService ? '0' : '1',
    price: script.price ?? null,
    price_unit: script.priceUnit ?? 'USD',
    sid,
    status: script.status ?? (viaService ? 'accepted' : 'queued'),
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
    to: form.To ?? null,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
  };
}
