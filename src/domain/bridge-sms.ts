/**
 * The bridge SMS text (spec: whatsapp-24-hour-window.txt "Bridge SMS",
 * portal-messaging-fallback.txt "Understand the automatic SMS bridge"):
 *
 *   `{Org}: Update for you. WhatsApp: wa.me/{digits} Portal: {portalLink}`
 *
 * e.g. `AcmeMotors: Update for you. WhatsApp: wa.me/447700900123 Portal: tflow.link/abc12345`.
 * It must fit one SMS segment, which in practice means GSM-7 (≤ 160 septets;
 * a single non-GSM character would switch the whole text to UCS-2 and a
 * 70-unit limit). `{digits}` is the E.164 number without `+`
 * (provider-protocols.md §9 wa.me format); the link is used as given.
 *
 * Only the org name is ever adapted, deterministically:
 * 1. GSM-safe: NFC; characters outside GSM-7 are transliterated (accents
 *    stripped, `Ł`→`L`, curly quotes→straight, dashes→`-`, `…`→`...`), and
 *    dropped when nothing GSM remains (emoji); runs of whitespace (tabs,
 *    newlines, no-break spaces) become one space; trimmed. Characters already
 *    in GSM-7, including the accented ones it has (é, ñ, ü, Ø…) and extension
 *    characters (€ costs 2 septets), are kept.
 * 2. Spaces are kept whenever the whole name fits. When it does not, the name
 *    with its spaces removed is used if that makes the whole name fit (this is
 *    how the spec example writes "AcmeMotors").
 * 3. Otherwise the spaced name is cut to the longest prefix that fits, backed
 *    off to the last word boundary when the cut falls inside a word, with
 *    trailing separators (` & + , ; : - /`) removed.
 * A name that is empty after step 1 (e.g. only emoji) is left out together
 * with its `: ` so the text starts `Update for you.`.
 */
import { isGsm7, smsSegments } from './sms-segments.js';

export type BridgeSmsInput = {
  /** The organisation's display name, any Unicode. */
  orgName: string;
  /**
   * The org's WhatsApp business number in E.164 (`+447700900123`), or null
   * when the org has no WhatsApp number: the text is then
   * `{Org}: Update for you. Portal: {portalLink}`.
   */
  whatsappNumber: string | null;
  /** Portal magic link without scheme, e.g. `example.com/l/Ab3dE5gH`; inserted verbatim. */
  portalLink: string;
};

const E164 = /^\+[1-9]\d{6,14}$/;

/** Non-GSM characters that neither NFKD nor stripping accents turn into GSM. */
const TRANSLITERATE: Readonly<Record<string, string>> = {
  'Ł': 'L', 'ł': 'l', 'Đ': 'D', 'đ': 'd', 'Ħ': 'H', 'ħ': 'h', 'ı': 'i', 'Œ': 'OE', 'œ': 'oe',
  'Þ': 'Th', 'þ': 'th', 'ð': 'd', 'ĸ': 'k', 'Ŧ': 'T', 'ŧ': 't',
  '‘': "'", '’': "'", '‚': "'", '‛': "'", '`': "'", '´': "'",
  '“': '"', '”': '"', '„': '"', '‟': '"', '«': '"', '»': '"',
  '‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-', '−': '-',
};

/** Separators not worth keeping at the end of a truncated name. */
const TRAILING_SEPARATORS = /[\s&+,;:\-/]+$/;

/**
 * The org name reduced to GSM-7 characters (step 1 above): never forces
 * UCS-2, may be empty. Pure; spec: provider-protocols.md §10 (GSM-7 set).
 */
export function gsmSafeOrgName(orgName: string): string {
  let out = '';
  for (const ch of orgName.normalize('NFC')) {
    if (/\s/u.test(ch)) out += ' ';
    else if (isGsm7(ch)) out += ch;
    else {
      for (const part of ch.normalize('NFKD').replace(/\p{M}/gu, '')) {
        const mapped = TRANSLITERATE[part] ?? part;
        if (/\s/u.test(mapped)) out += ' ';
        else if (isGsm7(mapped)) out += mapped;
      }
    }
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

function layout(name: string, whatsappDigits: string | null, portalLink: string): string {
  const prefix = name ? `${name}: ` : '';
  const whatsapp = whatsappDigits ? ` WhatsApp: wa.me/${whatsappDigits}` : '';
  return `${prefix}Update for you.${whatsapp} Portal: ${portalLink}`;
}

function fitsOneGsmSegment(text: string): boolean {
  const count = smsSegments(text);
  return count.encoding === 'GSM-7' && count.segments === 1;
}

/**
 * Compose the bridge SMS; the result is always GSM-7 and exactly one segment
 * (≤ 160 septets). See the module comment for how the org name is adapted.
 * @throws Error when `whatsappNumber` is not E.164, when `portalLink` is blank
 *   or contains whitespace, or when the text cannot fit one GSM-7 segment even
 *   with a single character of org name (portal link too long or not GSM-7).
 */
export function composeBridgeSms(input: BridgeSmsInput): string {
  const { whatsappNumber, portalLink } = input;
  if (whatsappNumber !== null && !E164.test(whatsappNumber)) {
    throw new Error(`Bridge SMS: WhatsApp number must be E.164 (e.g. +447700900123), got ${JSON.stringify(whatsappNumber)}`);
  }
  if (!portalLink || /\s/u.test(portalLink)) {
    throw new Error(`Bridge SMS: portal link must be non-empty with no whitespace, got ${JSON.stringify(portalLink)}`);
  }
  const digits = whatsappNumber === null ? null : whatsappNumber.slice(1);
  const compose = (name: string) => layout(name, digits, portalLink);
  const tooLong = () => {
    const bare = smsSegments(compose(''));
    return new Error(
      `Bridge SMS cannot fit one GSM-7 segment (160 septets) with any org name: the rest of the text alone is ` +
        `${bare.units} ${bare.encoding === 'GSM-7' ? 'septets' : 'UCS-2 units'}; the portal link (${portalLink.length} chars) is too long or not GSM-7`,
    );
  };

  const name = gsmSafeOrgName(input.orgName);
  if (fitsOneGsmSegment(compose(name))) return compose(name);
  if (!name) throw tooLong();

  const squashed = name.replace(/ /g, '');
  if (fitsOneGsmSegment(compose(squashed))) return compose(squashed);

  // Longest fitting prefix. Every character of `name` is a single GSM code unit
  // costing 1 or 2 septets, so fit shrinks monotonically with the prefix;
  // nothing beyond 160 characters can fit.
  let length = Math.min(name.length, 160);
  while (length > 0 && !fitsOneGsmSegment(compose(name.slice(0, length).trimEnd()))) length -= 1;
  if (length === 0) throw tooLong();

  const hardCut = name.slice(0, length).trimEnd();
  let cut = hardCut;
  const next = name[hardCut.length];
  const midWord = next !== undefined && next !== ' ';
  const lastSpace = cut.lastIndexOf(' ');
  if (midWord && lastSpace > 0) cut = cut.slice(0, lastSpace);
  cut = cut.replace(TRAILING_SEPARATORS, '');
  return compose(cut || hardCut);
}
