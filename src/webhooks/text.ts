/**
 * Text at the edge (issue 10 item 10). PostgreSQL `text` and `jsonb` cannot
 * hold U+0000, and `jsonb` refuses an unpaired surrogate (`\ud800`), so one
 * such character in any field (a WhatsApp profile name, a document
 * filename, a Twilio `MediaUrl`, a staff form) would fail the whole request
 * or webhook batch. Every inbound text is cleaned instead, never refused, so
 * a customer's message is never lost: NUL removed, unpaired surrogates
 * replaced by U+FFFD.
 */

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` without NUL characters and with unpaired surrogates replaced by U+FFFD. */
export function cleanText(text: string): string {
  return text.replaceAll('\u0000', '').replace(UNPAIRED_SURROGATE, '\uFFFD');
}

/**
 * A copy of a parsed JSON value or form with every string, object key
 * included, cleaned by `cleanText`; other values unchanged.
 */
export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map(cleanDeep) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanDeep(v)])) as T;
}
