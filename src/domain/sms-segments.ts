/**
 * SMS encoding and segment counting (provider-protocols.md §10), delegated to
 * Twilio's own `sms-segments-calculator` rather than a hand-rolled GSM-7 table.
 *
 * - GSM-7: 160 septets in a single SMS, 153 per segment once concatenated;
 *   extension-table characters (`^ { } \ [ ~ ] | €` and form feed) cost 2.
 * - Any character outside GSM-7 switches the whole message to UCS-2: 70 UTF-16
 *   code units single, 67 per segment concatenated; most emoji cost 2 units.
 *
 * Smart Encoding (Twilio replacing look-alikes such as curly quotes) is not
 * emulated: the count is what Twilio sends when Smart Encoding is off.
 */
import { SegmentedMessage } from 'sms-segments-calculator';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export type SmsSegmentCount = {
  encoding: SmsEncoding;
  /** Number of SMS the text is billed as; an empty text counts as 1. */
  segments: number;
  /**
   * The units the 160/153 and 70/67 limits apply to: septets for GSM-7
   * (extension characters count 2), UTF-16 code units for UCS-2 (emoji
   * outside the BMP count 2).
   */
  units: number;
  /** User-perceived characters (grapheme clusters): `€` is 1, `🏳️‍🌈` is 1. */
  characters: number;
};

/**
 * Count the SMS segments `text` will be sent as.
 * Note: `characters` is graphemes whatever the encoding; the calculator's own
 * `numberOfCharacters` mixes septets (GSM-7) and graphemes (UCS-2), so `units`
 * carries the septet/code-unit count instead.
 * Spec: provider-protocols.md §10 (limits and test vectors).
 */
export function smsSegments(text: string): SmsSegmentCount {
  const message = new SegmentedMessage(text, 'auto', false);
  const encoding = message.encodingName;
  const bitsPerUnit = encoding === 'GSM-7' ? 7 : 16;
  return {
    encoding,
    segments: message.segmentsCount,
    units: message.messageSize / bitsPerUnit,
    characters: message.graphemes.length,
  };
}

/**
 * Whether `text` can be sent in GSM-7 (every character is in the GSM-7 basic
 * or extension table), i.e. it does not force UCS-2. The empty string is GSM-7.
 * Spec: provider-protocols.md §10.
 */
export function isGsm7(text: string): boolean {
  return new SegmentedMessage(text, 'auto', false).encodingName === 'GSM-7';
}
