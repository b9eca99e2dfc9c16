/**
 * SMS compliance keywords (provider-protocols.md §5, Twilio default STOP
 * filtering and Advanced Opt-Out). Twilio blocks the sender itself and still
 * forwards the message to us; this classification keeps our opt-out record in
 * step with Twilio's block.
 *
 * The whole message must be the keyword: trimmed, case-insensitive, one word
 * ("STOP please" is not a keyword; neither is "STOP ALL").
 * Trailing punctuation is deliberately asymmetric, erring towards not
 * messaging someone who may have asked us to stop:
 * - opt-out keywords also match with trailing `. ! ? , ; :` ("Stop.", "STOP!!");
 * - opt-in and help keywords must be the bare word, because "Yes." and
 *   "Yes!" are everyday replies to a question, and wrongly treating one as
 *   opt-in would resume SMS to someone who opted out.
 */

export type SmsKeyword = 'opt_out' | 'opt_in' | 'help';

/** Twilio's default opt-out keywords, including the newer REVOKE and OPTOUT. */
export const OPT_OUT_KEYWORDS: readonly string[] = Object.freeze(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
/** Twilio's default opt-in keywords. */
export const OPT_IN_KEYWORDS: readonly string[] = Object.freeze(['START', 'UNSTOP', 'YES']);
/** Twilio's default help keywords. */
export const HELP_KEYWORDS: readonly string[] = Object.freeze(['HELP', 'INFO']);

const OPT_OUT_TYPES: Readonly<Record<string, SmsKeyword>> = Object.freeze({ STOP: 'opt_out', START: 'opt_in', HELP: 'help' });

/**
 * Classify an inbound SMS as a compliance keyword.
 * @param body the inbound `Body`
 * @param optOutType Twilio's `OptOutType` (`STOP` | `START` | `HELP`), sent only
 *   with Advanced Opt-Out; when it is one of those (any case, trimmed) it wins
 *   over the body, since custom keywords may be configured there. Absent,
 *   blank or unknown values fall back to the body.
 * @returns the keyword class, or null for an ordinary message
 */
export function smsKeyword(body: string, optOutType?: string | null): SmsKeyword | null {
  const type = optOutType?.trim().toUpperCase();
  if (type && Object.hasOwn(OPT_OUT_TYPES, type)) return OPT_OUT_TYPES[type]!;
  const word = body.trim().toUpperCase();
  if (OPT_IN_KEYWORDS.includes(word)) return 'opt_in';
  if (HELP_KEYWORDS.includes(word)) return 'help';
  if (OPT_OUT_KEYWORDS.includes(word.replace(/[.!?,;:]+$/, ''))) return 'opt_out';
  return null;
}
