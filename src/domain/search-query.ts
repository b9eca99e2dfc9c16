/**
 * What the inbox search box was given (spec: messaging-inbox.txt, "Type a
 * customer name, phone number, or keyword to search across conversations";
 * issue 5 item 4): a phone number, or text matched against names and message
 * bodies.
 *
 * Rules:
 * - The text is trimmed, runs of whitespace become one space and it is cut
 *   to `MAX_QUERY_LENGTH` characters. Text with no letter or digit searches
 *   nothing (`kind: 'none'`).
 * - Text made only of digits and what people type between them
 *   (`+ ( ) - . /` and spaces) with at least `MIN_PHONE_DIGITS` digits is a
 *   phone number. Stored numbers are E.164 (`src/domain/phone.ts`), so:
 *   - Typed with a country code (`+44 …`, `0044 …`) or a trunk prefix
 *     (`07700 …`, read in the organisation's region, GB by default) it is
 *     anchored: it matches numbers that start with its E.164 form, and when
 *     it is a complete number (`isPossible`) it also has that exact E.164
 *     value. `07700 9` is the prefix `+4477009`.
 *   - A bare digit run (`900123`, `7700900123`) is a fragment: it matches
 *     numbers containing those digits anywhere.
 * - Anything else is text: a name (typo-tolerant) or message keywords.
 */
import { AsYouType, type CountryCode } from 'libphonenumber-js/max';
import { toE164 } from './phone.js';

/** Longest text searched, in characters; the rest is ignored. */
export const MAX_QUERY_LENGTH = 200;
/** Fewest digits a phone search needs (a trigram: shorter runs cannot use the index). */
export const MIN_PHONE_DIGITS = 3;

export type SearchQuery =
  | { kind: 'none' }
  | {
    kind: 'phone';
    /** The normalised text as typed. */
    text: string;
    /** The complete number in E.164 when the text is one (`+447700900123`), else null. */
    e164: string | null;
    /**
     * What a stored E.164 number must contain: its start (`+4477009`) when
     * `anchored`, otherwise a digit run found anywhere (`900123`).
     */
    needle: string;
    anchored: boolean;
  }
  | { kind: 'text'; text: string };

const PHONE_CHARACTERS = /^\+?[\d\s().\-/]+$/;
const SEARCHABLE = /[\p{L}\p{N}]/u;

/**
 * Classify and normalise what was typed in the search box.
 * @param raw the search box text, any length
 * @param defaultRegion region for numbers typed nationally (the organisation's; GB)
 * @returns `none` when there is nothing to search, `phone` or `text` otherwise
 */
export function parseSearchQuery(raw: string, defaultRegion: CountryCode = 'GB'): SearchQuery {
  const text = raw.replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_LENGTH).trim();
  if (!SEARCHABLE.test(text)) return { kind: 'none' };
  if (!PHONE_CHARACTERS.test(text)) return { kind: 'text', text };
  const digits = text.replace(/\D/g, '');
  if (digits.length < MIN_PHONE_DIGITS) return { kind: 'text', text };
  const prefix = anchoredPrefix(text, digits, defaultRegion);
  if (!prefix) return { kind: 'phone', text, e164: null, needle: digits, anchored: false };
  return { kind: 'phone', text, e164: toE164(text, defaultRegion), needle: prefix, anchored: true };
}

/**
 * The E.164 start of a number typed with a country code or trunk prefix, or
 * null for a bare digit run or digits no number starts with (`000…`: an
 * international prefix followed by no country code).
 */
function anchoredPrefix(text: string, digits: string, region: CountryCode): string | null {
  if (!text.startsWith('+') && !digits.startsWith('0')) return null;
  if (digits.startsWith('000')) return null;
  const typing = new AsYouType(region);
  typing.input(text);
  const value = typing.getNumberValue();
  return value && /^\+[1-9]\d+$/.test(value) ? value : null;
}
