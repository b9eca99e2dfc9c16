/**
 * WhatsApp number verification by one-time code (whatsapp-consent.txt, "See
 * consent captured via WhatsApp OTP verification"): the pure rules.
 *
 * - A code is 6 digits, valid for 10 minutes, checked at most 5 times; a
 *   verification may be sent at most 3 times (first send + 2 resends, at least
 *   30 s apart) and a customer may be sent at most 5 codes an hour. The
 *   database enforces the same limits (migration 0010's CHECKs and the
 *   conditional updates in src/consent/whatsapp-verification.ts); these
 *   functions decide what to tell people.
 * - The code goes by a WhatsApp authentication template (Meta's fixed body
 *   "{{1}} is your verification code." and a COPY_CODE button:
 *   provider-protocols.md §11c) when the garage has one approved; otherwise,
 *   or when the customer has turned WhatsApp off, by SMS (a new WhatsApp
 *   Business account often cannot send authentication templates yet).
 * - A code the customer asked for is a service message: of the consent gate
 *   only the channel rules apply (WhatsApp master switch, SMS opt-out).
 */
import { createHash, randomInt } from 'node:crypto';

export const VERIFICATION_RULES = Object.freeze({
  codeLength: 6,
  /** Minutes a code stays valid. */
  ttlMinutes: 10,
  maxAttempts: 5,
  maxSendsPerVerification: 3,
  maxSendsPerHour: 5,
  /** Seconds between two sends of one verification. */
  resendCooldownSeconds: 30,
});

/** A fresh code: `codeLength` digits from crypto randomness (leading zeros kept). */
export function newVerificationCode(): string {
  return String(randomInt(10 ** VERIFICATION_RULES.codeLength)).padStart(VERIFICATION_RULES.codeLength, '0');
}

/**
 * What `whatsapp_verifications.code_hash` holds: SHA-256 (hex) of the
 * verification id and the code, so equal codes of two verifications hash apart.
 * (A 6-digit code cannot resist an offline search whatever the hash: the
 * 10-minute expiry and 5 checks are the protection; the hash keeps codes out
 * of backups and logs.)
 */
export function hashVerificationCode(verificationId: string, code: string): string {
  return createHash('sha256').update(`${verificationId}:${code}`).digest('hex');
}

/**
 * What a person typed, as a code: spaces, dashes and dots removed
 * ("123 456", "123-456").
 * @returns the digits, or null when it is not `codeLength` digits
 */
export function normaliseCode(input: string): string | null {
  const compact = input.replace(/[\s.\-]/g, '');
  return new RegExp(`^\\d{${VERIFICATION_RULES.codeLength}}$`).test(compact) ? compact : null;
}

export type VerificationChannelInput = {
  /** The customer's WhatsApp consent (the master switch). */
  whatsappConsent: boolean;
  /** Whether the garage's WhatsApp number is set up (credentials stored). */
  whatsappConfigured: boolean;
  /** Whether the garage has an approved authentication template with Meta's body. */
  authenticationTemplate: boolean;
  smsConfigured: boolean;
  smsOptedOut: boolean;
};

export type VerificationChannel =
  | { channel: 'whatsapp' | 'sms' }
  | { channel: null; code: 'verification_unavailable'; reason: string };

/**
 * Which channel carries the code: WhatsApp when the customer's WhatsApp
 * consent is on and the garage can send an authentication template, else SMS
 * unless the number opted out (STOP), else none.
 */
export function verificationChannel(input: VerificationChannelInput): VerificationChannel {
  if (input.whatsappConsent && input.whatsappConfigured && input.authenticationTemplate) return { channel: 'whatsapp' };
  if (input.smsConfigured && !input.smsOptedOut) return { channel: 'sms' };
  const why = input.smsOptedOut ? 'the number has opted out of SMS (replied STOP)' : 'SMS is not set up for this garage';
  const whatsapp = !input.whatsappConsent ? 'the customer has turned WhatsApp off' : !input.whatsappConfigured ? 'WhatsApp is not set up' : 'there is no approved WhatsApp authentication template';
  return { channel: null, code: 'verification_unavailable', reason: `A code cannot be sent: ${whatsapp}, and ${why}.` };
}

/**
 * Whether a template is a WhatsApp authentication template as Meta allows
 * it: category AUTHENTICATION, status approved, and the fixed body
 * "{x} is your verification code." with optionally "For your security, do
 * not share this code." and "This code expires in N minutes." (N 1–90), one
 * placeholder (the code), no URL.
 */
export function isAuthenticationTemplate(t: { category: string; status: string; body: string; placeholders: readonly string[] }): boolean {
  if (t.category !== 'AUTHENTICATION' || t.status !== 'approved' || t.placeholders.length !== 1) return false;
  const match = /^\{([a-z][a-z0-9_]*)\} is your verification code\.(?: For your security, do not share this code\.)?(?: This code expires in (\d{1,2}) minutes\.)?$/.exec(t.body.trim());
  if (!match || match[1] !== t.placeholders[0]) return false;
  return match[2] === undefined || (Number(match[2]) >= 1 && Number(match[2]) <= 90);
}

/** The SMS that carries a code (GSM-7, one segment for a garage name up to ~90 characters). */
export function verificationSms(garageName: string, code: string): string {
  return `${code} is your ${garageName} verification code. It expires in ${VERIFICATION_RULES.ttlMinutes} minutes. Do not share it.`;
}

export type VerificationState = {
  status: 'pending' | 'verified' | 'locked' | 'cancelled';
  attempts: number;
  sends: number;
  expiresAt: Date;
  lastSentAt: Date;
};

export type VerificationProblem = { code: 'verification_expired' | 'verification_locked' | 'verification_not_pending' | 'verification_send_limit'; reason: string };

/** Why a code cannot be checked against this verification now, or null when it can. */
export function checkProblem(v: VerificationState, now: Date): VerificationProblem | null {
  if (v.status === 'locked' || v.attempts >= VERIFICATION_RULES.maxAttempts) {
    return { code: 'verification_locked', reason: `Too many wrong codes (${VERIFICATION_RULES.maxAttempts}): send a new code.` };
  }
  if (v.status === 'verified') return { code: 'verification_not_pending', reason: 'The number is already verified.' };
  if (v.status !== 'pending') return { code: 'verification_not_pending', reason: 'This code was replaced or cancelled: send a new code.' };
  if (v.expiresAt.getTime() <= now.getTime()) return { code: 'verification_expired', reason: `The code has expired (codes last ${VERIFICATION_RULES.ttlMinutes} minutes): send a new one.` };
  return null;
}

/**
 * Why this verification cannot be sent again now, or null when it can.
 * @param sentLastHour codes sent to the customer in the past hour, all verifications
 */
export function resendProblem(v: VerificationState, sentLastHour: number, now: Date): VerificationProblem | null {
  if (v.status !== 'pending') return { code: 'verification_not_pending', reason: `This verification is ${v.status}: start a new one.` };
  if (v.sends >= VERIFICATION_RULES.maxSendsPerVerification) {
    return { code: 'verification_send_limit', reason: `A code can be sent at most ${VERIFICATION_RULES.maxSendsPerVerification} times: start a new verification.` };
  }
  const wait = Math.ceil((v.lastSentAt.getTime() + VERIFICATION_RULES.resendCooldownSeconds * 1000 - now.getTime()) / 1000);
  if (wait > 0) return { code: 'verification_send_limit', reason: `Wait ${wait} s before sending the code again.` };
  return hourlyProblem(sentLastHour);
}

/** Why no further code may go to the customer this hour, or null. */
export function hourlyProblem(sentLastHour: number): VerificationProblem | null {
  return sentLastHour >= VERIFICATION_RULES.maxSendsPerHour
    ? { code: 'verification_send_limit', reason: `At most ${VERIFICATION_RULES.maxSendsPerHour} codes an hour can be sent to a customer: try again later.` }
    : null;
}

/** What staff and the portal are told about a verification (no code, no hash). */
export function verificationView(v: VerificationState & { id: string; channel: 'whatsapp' | 'sms'; verifiedAt: Date | null }, now: Date) {
  const expired = v.status === 'pending' && v.expiresAt.getTime() <= now.getTime();
  return {
    id: v.id,
    channel: v.channel,
    status: expired ? 'expired' as const : v.status,
    attemptsLeft: Math.max(0, VERIFICATION_RULES.maxAttempts - v.attempts),
    sendsLeft: Math.max(0, VERIFICATION_RULES.maxSendsPerVerification - v.sends),
    expiresAt: v.expiresAt.toISOString(),
    verifiedAt: v.verifiedAt?.toISOString() ?? null,
  };
}
