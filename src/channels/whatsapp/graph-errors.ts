/**
 * Classify a failed Graph API / WhatsApp Cloud API reply
 * (provider-protocols.md §8: error shape `{"error":{message, type, code,
 * error_data:{details}, error_subcode, is_transient, fbtrace_id}}` and the
 * code table). Meta says to key on `code`, not on the HTTP status, which for
 * rate limits differs between sources; so the code decides first.
 */
import { ProviderError, type ProviderErrorKind } from '../contract.js';
import { isRecord, parseRetryAfter, type HttpReply } from '../http-call.js';

/** The provider refused this message (window closed, not on WhatsApp, template problems, spam/marketing limits). */
const PERMANENT_CODES = new Set([
  131047, 131026, 131051, 131008, 131009, 131021, 132000, 132001, 132012, 132015, 132016, 131048, 131049, 131050,
]);

/**
 * Try again later: 130429 throughput limit, 131056 pair rate limit, 131000
 * "Something went wrong", 2 "Service temporarily unavailable"; also Graph's
 * generic 4 "Application request limit reached", 80007 WABA rate limit and
 * 131016 "Service unavailable" [recall, Meta error-codes page].
 */
const RETRYABLE_CODES = new Set([130429, 131056, 131000, 2, 4, 80007, 131016]);

/** Token expired/invalid (190), auth (0), permission (10, 200–299). */
function isCredentialCode(code: number): boolean {
  return code === 190 || code === 0 || code === 10 || (code >= 200 && code <= 299);
}

/**
 * Map a non-2xx Graph reply to a ProviderError. Order: known code →
 * `is_transient: true` → HTTP status (401/403 `bad_credentials`; 429 and 5xx
 * `retryable`; anything else `permanent`). `providerCode` is `String(code)`;
 * the message is `error_data.details`, else `error.message`; retryable errors
 * carry `Retry-After` in ms when sent.
 */
export function graphError(reply: HttpReply): ProviderError {
  const error = isRecord(reply.json) && isRecord(reply.json.error) ? reply.json.error : null;
  const code = error && typeof error.code === 'number' ? error.code : null;
  const kind = classify(reply.status, code, error?.is_transient === true);
  const errorData = error && isRecord(error.error_data) ? error.error_data : null;
  const text =
    (typeof errorData?.details === 'string' && errorData.details) ||
    (typeof error?.message === 'string' && error.message) ||
    `HTTP ${reply.status}`;
  const retryAfterMs = kind === 'retryable' ? parseRetryAfter(reply.headers.get('retry-after')) : null;
  return new ProviderError(kind, `WhatsApp: ${text}`, code === null ? null : String(code), retryAfterMs);
}

function classify(status: number, code: number | null, isTransient: boolean): ProviderErrorKind {
  if (code !== null) {
    if (PERMANENT_CODES.has(code)) return 'permanent';
    if (RETRYABLE_CODES.has(code)) return 'retryable';
    if (isCredentialCode(code)) return 'bad_credentials';
  }
  if (isTransient) return 'retryable';
  if (status === 401 || status === 403) return 'bad_credentials';
  if (status === 429 || status >= 500) return 'retryable';
  return 'permanent';
}
