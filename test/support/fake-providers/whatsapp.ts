/**
 * A fake WhatsApp Cloud API / Graph API (provider-protocols.md §8) for tests:
 * - `POST /{version}/{phone-number-id}/messages` → 200
 *   `{"messaging_product":"whatsapp","contacts":[{"input","wa_id"}],"messages":[{"id":"wamid.…"}]}`
 *   (template sends add `"message_status":"accepted"`);
 * - `POST /{version}/{waba-id}/message_templates` → 200 `{"id","status":"PENDING","category"}`;
 * - errors in Graph's shape `{"error":{message,type,code,error_data:{messaging_product,details},fbtrace_id}}`.
 * Other paths answer Graph's 400 "Unknown path components" (code 2500).
 *
 * @example
 * const meta = await startFakeWhatsApp();
 * meta.respondWith({ kind: 'error', status: 400, code: 131047, details: 'Message failed to send because more than 24 hours have passed…' });
 */
import { randomBytes } from 'node:crypto';
import { startHttpFake, type CommonScript, type FakeHttpProvider, type HttpAnswer, type RecordedRequest } from './http-fake.js';

/** The parsed JSON body; `null` when the body was not JSON. */
export type WhatsAppRequestBody = unknown;

export type WhatsAppScript =
  | CommonScript
  /**
   * Success for whichever endpoint was called. `messageId` / `messageStatus`
   * shape a `/messages` answer (`messageStatus: null` omits it);
   * `templateStatus` shapes a `/message_templates` answer (default `PENDING`).
   */
  | {
      kind: 'success';
      messageId?: string;
      messageStatus?: 'accepted' | 'held_for_quality_assessment' | 'paused' | null;
      templateStatus?: string;
      delayMs?: number;
    }
  /** A Graph error; `details` goes to `error_data.details`; `message` defaults to `(#code) details`. */
  | {
      kind: 'error';
      status: number;
      code: number;
      details?: string;
      message?: string;
      subcode?: number;
      isTransient?: boolean;
      retryAfter?: string;
      delayMs?: number;
    };

export type FakeWhatsApp = FakeHttpProvider<WhatsAppRequestBody, WhatsAppScript>;

export type FakeWhatsAppOptions = {
  /**
   * When set, requests without `Authorization: Bearer <accessToken>` get
   * Graph's 401 code 190 instead of a scripted success/error.
   */
  accessToken?: string;
  /**
   * Phone numbers the fake knows, by phone number id: `GET /{version}/{id}` answers the
   * phone number node and `GET /{version}/{waba-id}/phone_numbers` lists those of that business account.
   */
  phoneNumbers?: Record<string, { displayPhoneNumber: string; verifiedName: string; wabaId: string }>;
};

const MESSAGES = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/;
const TEMPLATES = /^\/(v\d+\.\d+)\/([^/]+)\/message_templates$/;
const NODE = /^\/(v\d+\.\d+)\/(\d+)$/;
const WABA_NUMBERS = /^\/(v\d+\.\d+)\/(\d+)\/phone_numbers$/;

/**
 * Start the fake on 127.0.0.1 (random port). Default answer: success.
 * @returns the fake; `requests[i].body` is the parsed JSON
 */
export async function startFakeWhatsApp(options: FakeWhatsAppOptions = {}): Promise<FakeWhatsApp> {
  return startHttpFake<WhatsAppRequestBody, WhatsAppScript>({
    parseBody: (raw) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return null;
      }
    },
    defaultScript: () => ({ kind: 'success' }),
    render: (script, request) => {
      const path = request.path.split('?')[0]!;
      if (request.method === 'GET' && (NODE.test(path) || WABA_NUMBERS.test(path))) return phoneNumberRead(path, request, script, options);
      const isMessages = MESSAGES.test(path);
      if (request.method !== 'POST' || (!isMessages && !TEMPLATES.test(path))) {
        return graphErrorAnswer({ status: 400, code: 2500, message: `Unknown path components: ${path}` });
      }
      if (options.accessToken !== undefined && request.headers.authorization !== `Bearer ${options.accessToken}`) {
        return graphErrorAnswer({ status: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
      }
      let answer: HttpAnswer;
      if (script.kind === 'error') answer = graphErrorAnswer(script);
      else if (isMessages) answer = { status: 200, json: messagesSuccess(request, script) };
      else answer = { status: 200, json: templateSuccess(request, script) };
      if (script.delayMs !== undefined) answer.delayMs = script.delayMs;
      return answer;
    },
  });
}

/** The Graph reads of a phone number node and a business account's `phone_numbers` edge. */
function phoneNumberRead(path: string, request: RecordedRequest<WhatsAppRequestBody>, script: WhatsAppScript, options: FakeWhatsAppOptions): HttpAnswer {
  if (options.accessToken !== undefined && request.headers.authorization !== `Bearer ${options.accessToken}`) {
    return graphErrorAnswer({ status: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
  }
  if (script.kind === 'error') return graphErrorAnswer(script);
  const numbers = options.phoneNumbers ?? {};
  const node = (id: string) => ({ id, display_phone_number: numbers[id]!.displayPhoneNumber, verified_name: numbers[id]!.verifiedName, quality_rating: 'GREEN', code_verification_status: 'VERIFIED' });
  const waba = WABA_NUMBERS.exec(path)?.[2];
  if (waba) return { status: 200, json: { data: Object.keys(numbers).filter((id) => numbers[id]!.wabaId === waba).map(node), paging: { cursors: { before: 'QVFIU', after: 'QVFIU' } } } };
  const id = NODE.exec(path)![2]!;
  if (!numbers[id]) {
    return graphErrorAnswer({ status: 400, code: 100, message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.` });
  }
  return { status: 200, json: node(id) };
}

/** A WhatsApp message id in Meta's format: `wamid.` and a base64 blob. */
export function fakeWamid(): string {
  return `wamid.HBgM${randomBytes(27).toString('base64').replace(/[^A-Za-z0-9]/g, 'A')}`;
}

function graphErrorAnswer(e: { status: number; code: number; details?: string; message?: string; subcode?: number; isTransient?: boolean; retryAfter?: string }): HttpAnswer {
  const error: Record<string, unknown> = {
    message: e.message ?? `(#${e.code}) ${e.details ?? 'Error'}`,
    type: 'OAuthException',
    code: e.code,
  };
  if (e.details !== undefined) error.error_data = { messaging_product: 'whatsapp', details: e.details };
  if (e.subcode !== undefined) error.error_subcode = e.subcode;
  if (e.isTransient !== undefined) error.is_transient = e.isTransient;
  error.fbtrace_id = `A${randomBytes(10).toString('base64').replace(/[^A-Za-z0-9]/g, 'x')}`;
  const answer: HttpAnswer = { status: e.status, json: { error } };
  if (e.retryAfter !== undefined) answer.headers = { 'retry-after': e.retryAfter };
  return answer;
}

function messagesSuccess(request: RecordedRequest<WhatsAppRequestBody>, script: Extract<WhatsAppScript, { kind: 'success' }>) {
  const body = (request.body ?? {}) as { to?: unknown; type?: unknown };
  const to = typeof body.to === 'string' ? body.to : '';
  const status = script.messageStatus === undefined ? (body.type === 'template' ? 'accepted' : null) : script.messageStatus;
  const message: Record<string, unknown> = { id: script.messageId ?? fakeWamid() };
  if (status !== null) message.message_status = status;
  return { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [message] };
}

function templateSuccess(request: RecordedRequest<WhatsAppRequestBody>, script: Extract<WhatsAppScript, { kind: 'success' }>) {
  const body = (request.body ?? {}) as { category?: unknown };
  return {
    id: String(1_000_000_000_000_000 + Math.floor(Math.random() * 1e15)),
    status: script.templateStatus ?? 'PENDING',
    category: typeof body.category === 'string' ? body.category : 'UTILITY',
  };
}
