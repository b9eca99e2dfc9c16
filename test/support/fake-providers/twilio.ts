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
  /** An API key also accepted as Basic auth (`{sid}:{secret}`) when `authToken` is set. */
  apiKey?: { sid: string; secret: string };
  /**
   * The account's numbers: `GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json`
   * answers Twilio's list resource with them (auth checked as for sends).
   */
  incomingNumbers?: string[];
  /**
   * The account's Messaging Services: `GET /v1/Services/{MG…}` (Twilio's Messaging API,
   * messaging.twilio.com) answers the Service resource for these, 404 (20404) for others.
   */
  messagingServices?: string[];
};

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const NUMBERS_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/IncomingPhoneNumbers\.json$/;
const SERVICE_PATH = /^\/v1\/Services\/([^/]+)$/;

/**
 * Start the fake on 127.0.0.1 (random port). Default answer: success.
 * @returns the fake; `requests[i].body` is the parsed form
 */
export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  return startHttpFake<TwilioRequestBody, TwilioScript>({
    parseBody: (raw) => Object.fromEntries(new URLSearchParams(raw)),
    defaultScript: () => ({ kind: 'success' }),
    render: (script, request) => {
      const path = request.path.split('?')[0]!;
      const authorised = (sid: string) => options.authToken === undefined || basicAuth(request) === `${sid}:${options.authToken}`
        || (options.apiKey !== undefined && basicAuth(request) === `${options.apiKey.sid}:${options.apiKey.secret}`);
      const numbersOf = NUMBERS_PATH.exec(path)?.[1];
      if (request.method === 'GET' && numbersOf) {
        if (!authorised(numbersOf)) return twilioErrorAnswer(401, 20003, 'Authenticate');
        if (script.kind === 'error') return twilioErrorAnswer(script.status, script.code, script.message);
        return { status: 200, json: incomingNumbersPage(numbersOf, options.incomingNumbers ?? []) };
      }
      const serviceSid = SERVICE_PATH.exec(path)?.[1];
      if (request.method === 'GET' && serviceSid) {
        const user = basicAuth(request)?.split(':')[0] ?? '';
        if (!authorised(user)) return twilioErrorAnswer(401, 20003, 'Authenticate');
        if (!(options.messagingServices ?? []).includes(serviceSid)) return twilioErrorAnswer(404, 20404, `The requested resource /Services/${serviceSid} was not found`);
        return { status: 200, json: { sid: serviceSid, account_sid: user, friendly_name: 'Garage notifications', url: `https://messaging.twilio.com/v1/Services/${serviceSid}` } };
      }
      const accountSid = MESSAGES_PATH.exec(path)?.[1];
      if (request.method !== 'POST' || !accountSid) {
        return twilioErrorAnswer(404, 20404, `The requested resource ${request.path} was not found`);
      }
      if (!authorised(accountSid)) {
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

/** Twilio's IncomingPhoneNumbers list resource (one page holding every number). */
function incomingNumbersPage(accountSid: string, numbers: string[]) {
  const uri = `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json?PageSize=1000&Page=0`;
  return {
    first_page_uri: uri, end: Math.max(0, numbers.length - 1), previous_page_uri: null, uri, page_size: 1000, start: 0, next_page_uri: null, page: 0,
    incoming_phone_numbers: numbers.map((n) => {
      const sid = fakeTwilioSid('PN');
      return {
        sid, account_sid: accountSid, friendly_name: n.replace(/^\+(\d)(\d{3})(\d{3})(\d+)$/, '($2) $3-$4'), phone_number: n,
        capabilities: { voice: true, sms: true, mms: true, fax: false }, sms_url: '', voice_url: '', status: 'in-use',
        uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}.json`,
      };
    }),
  };
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
