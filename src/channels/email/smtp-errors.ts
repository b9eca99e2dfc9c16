/**
 * Classify a nodemailer SMTP failure. Nodemailer errors carry `code`
 * (`ECONNECTION`, `ETIMEDOUT`, `ESOCKET`, `EDNS`, `EAUTH`, `EENVELOPE`,
 * `EMESSAGE`, …; see nodemailer `errors.d.ts`), and, when the server
 * answered, `responseCode` (RFC 5321 reply code) and `response` (its text).
 */
import { ProviderError } from '../contract.js';

type NodemailerError = Error & { code?: unknown; responseCode?: unknown; response?: unknown };

/**
 * Map a nodemailer error to a ProviderError:
 * - 530/535, or `EAUTH` with any 5xx or no reply code → `bad_credentials`;
 * - any 4xx reply (transient, RFC 5321 §4.2.1) → `retryable`;
 * - any other 5xx → `permanent` with providerCode = the reply code;
 * - `EENVELOPE`/`EMESSAGE` without a reply (nodemailer refused the address or message itself) → `permanent`;
 * - everything else (refused, reset, DNS, TLS, timeout) → `retryable`.
 */
export function smtpError(err: unknown): ProviderError {
  const e: NodemailerError = err instanceof Error ? err : new Error(String(err));
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const code = typeof e.code === 'string' ? e.code : null;
  const message =
    typeof e.response === 'string' && e.response !== ''
      ? `SMTP: ${e.response}`
      : `SMTP: ${e.message}${code && !e.message.includes(code) ? ` (${code})` : ''}`;
  const providerCode = responseCode === null ? null : String(responseCode);

  if (responseCode === 530 || responseCode === 535) return new ProviderError('bad_credentials', message, providerCode);
  if (code === 'EAUTH' && (responseCode === null || responseCode >= 500)) {
    return new ProviderError('bad_credentials', message, providerCode);
  }
  if (responseCode !== null && responseCode >= 400 && responseCode < 500) return new ProviderError('retryable', message, providerCode);
  if (responseCode !== null && responseCode >= 500) return new ProviderError('permanent', message, providerCode);
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return new ProviderError('permanent', message, providerCode);
  return new ProviderError('retryable', message, providerCode);
}
