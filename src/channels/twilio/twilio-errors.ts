/**
 * Classify a failed Twilio REST API reply (provider-protocols.md §4 error
 * JSON `{code, message, more_info, status}`, §3 code table).
 */
import { ProviderError } from '../contract.js';
import { isRecord, parseRetryAfter, type HttpReply } from '../http-call.js';

/** Twilio "Authentication Error": bad Account SID / Auth Token. */
const AUTHENTICATION_FAILED = 20003;
/** Twilio "Too Many Requests". */
const TOO_MANY_REQUESTS = 20429;

/**
 * Map a non-2xx Twilio reply to a ProviderError:
 * - 5xx, 429 or code 20429 → `retryable` (retryAfterMs from `Retry-After`, in ms);
 * - 401 or code 20003 → `bad_credentials`;
 * - any other status → `permanent`.
 * `providerCode` is Twilio's `code` as a string and the message is Twilio's
 * `message`; a body that is not Twilio's JSON classifies by HTTP status alone.
 */
export function twilioError(reply: HttpReply): ProviderError {
  const body = isRecord(reply.json) ? reply.json : {};
  const code = typeof body.code === 'number' || typeof body.code === 'string' ? Number(body.code) : null;
  const providerCode = code === null || Number.isNaN(code) ? null : String(code);
  const detail = typeof body.message === 'string' && body.message !== '' ? body.message : `HTTP ${reply.status}`;
  const message = `Twilio: ${detail}`;

  if (reply.status >= 500 || reply.status === 429 || code === TOO_MANY_REQUESTS) {
    return new ProviderError('retryable', message, providerCode, parseRetryAfter(reply.headers.get('retry-after')));
  }
  if (reply.status === 401 || code === AUTHENTICATION_FAILED) {
    return new ProviderError('bad_credentials', message, providerCode);
  }
  return new ProviderError('permanent', message, providerCode);
}
