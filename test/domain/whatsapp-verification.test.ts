/**
 * The pure rules of WhatsApp number verification (src/domain/whatsapp-verification.ts):
 * code shape and hashing, the channel choice (WhatsApp authentication
 * template, else SMS), Meta's authentication-template body, and the check and
 * resend limits at their boundaries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkProblem, hashVerificationCode, hourlyProblem, isAuthenticationTemplate, newVerificationCode, normaliseCode, resendProblem,
  verificationChannel, verificationSms, verificationView, VERIFICATION_RULES, type VerificationState,
} from '../../src/domain/whatsapp-verification.js';
import { smsSegments } from '../../src/domain/sms-segments.js';

const now = new Date('2026-03-02T10:00:00Z');
const pending = (over: Partial<VerificationState> = {}): VerificationState => ({
  status: 'pending', attempts: 0, sends: 1, expiresAt: new Date(now.getTime() + 600_000), lastSentAt: new Date(now.getTime() - 60_000), ...over,
});

test('codes are 6 digits (leading zeros kept) and hash apart per verification', () => {
  for (let i = 0; i < 200; i++) assert.match(newVerificationCode(), /^\d{6}$/);
  const a = hashVerificationCode('00000000-0000-4000-8000-000000000001', '123456');
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.notEqual(a, hashVerificationCode('00000000-0000-4000-8000-000000000002', '123456'));
  assert.ok(!a.includes('123456'));
});

test('what people type is normalised; anything but 6 digits is refused', () => {
  assert.equal(normaliseCode('123 456'), '123456');
  assert.equal(normaliseCode(' 012-345 '), '012345');
  for (const bad of ['12345', '1234567', 'abcdef', '12345a', '']) assert.equal(normaliseCode(bad), null, bad);
});

test('the code goes by WhatsApp only with consent, WhatsApp set up and an approved authentication template; else by SMS', () => {
  const all = { whatsappConsent: true, whatsappConfigured: true, authenticationTemplate: true, smsConfigured: true, smsOptedOut: false };
  assert.deepEqual(verificationChannel(all), { channel: 'whatsapp' });
  assert.deepEqual(verificationChannel({ ...all, authenticationTemplate: false }), { channel: 'sms' });
  assert.deepEqual(verificationChannel({ ...all, whatsappConsent: false }), { channel: 'sms' });
  assert.deepEqual(verificationChannel({ ...all, whatsappConfigured: false }), { channel: 'sms' });
  const none = verificationChannel({ ...all, authenticationTemplate: false, smsOptedOut: true });
  assert.equal(none.channel, null);
  assert.match((none as { reason: string }).reason, /no approved WhatsApp authentication template.*opted out of SMS/);
});

test("authentication templates must have Meta's fixed body, one placeholder and an expiry of 1–90 minutes", () => {
  const t = { category: 'AUTHENTICATION', status: 'approved', body: '{code} is your verification code. For your security, do not share this code. This code expires in 10 minutes.', placeholders: ['code'] };
  assert.equal(isAuthenticationTemplate(t), true);
  assert.equal(isAuthenticationTemplate({ ...t, body: '{code} is your verification code.' }), true);
  assert.equal(isAuthenticationTemplate({ ...t, status: 'pending' }), false);
  assert.equal(isAuthenticationTemplate({ ...t, category: 'UTILITY' }), false);
  assert.equal(isAuthenticationTemplate({ ...t, body: 'Your code is {code}. Visit https://x.example' }), false);
  assert.equal(isAuthenticationTemplate({ ...t, body: '{code} is your verification code. This code expires in 91 minutes.' }), false);
  assert.equal(isAuthenticationTemplate({ ...t, placeholders: ['otp'] }), false);
});

test('the SMS code fits one GSM-7 segment for a long garage name', () => {
  const text = verificationSms('Acme Motors & Sons Vehicle Servicing and MOT Centre Ltd', '012345');
  assert.match(text, /^012345 is your Acme Motors/);
  assert.equal(smsSegments(text).segments, 1);
});

test('checks: the 5th wrong code locks; expired, locked and replaced verifications cannot be checked', () => {
  assert.equal(checkProblem(pending({ attempts: VERIFICATION_RULES.maxAttempts - 1 }), now), null);
  assert.equal(checkProblem(pending({ attempts: VERIFICATION_RULES.maxAttempts }), now)?.code, 'verification_locked');
  assert.equal(checkProblem(pending({ status: 'locked' }), now)?.code, 'verification_locked');
  assert.equal(checkProblem(pending({ expiresAt: now }), now)?.code, 'verification_expired');
  assert.equal(checkProblem(pending({ expiresAt: new Date(now.getTime() + 1) }), now), null);
  assert.equal(checkProblem(pending({ status: 'cancelled' }), now)?.code, 'verification_not_pending');
  assert.match(checkProblem(pending({ status: 'verified' }), now)!.reason, /already verified/);
});

test('resends: 3 sends per verification, 30 s apart, 5 codes an hour', () => {
  assert.equal(resendProblem(pending({ sends: 2 }), 2, now), null);
  assert.equal(resendProblem(pending({ sends: 3 }), 3, now)?.code, 'verification_send_limit');
  assert.match(resendProblem(pending({ lastSentAt: new Date(now.getTime() - 10_000) }), 1, now)!.reason, /Wait 20 s/);
  assert.equal(resendProblem(pending({ lastSentAt: new Date(now.getTime() - 30_000) }), 1, now), null);
  assert.equal(resendProblem(pending(), 5, now)?.code, 'verification_send_limit');
  assert.equal(hourlyProblem(4), null);
  assert.match(hourlyProblem(5)!.reason, /5 codes an hour/);
  assert.equal(resendProblem(pending({ status: 'verified' }), 0, now)?.code, 'verification_not_pending');
});

test('the view shows what is left and reports an expired pending code as expired', () => {
  const v = verificationView({ ...pending({ attempts: 2, sends: 2 }), id: 'v1', channel: 'sms', verifiedAt: null }, now);
  assert.deepEqual({ status: v.status, attemptsLeft: v.attemptsLeft, sendsLeft: v.sendsLeft }, { status: 'pending', attemptsLeft: 3, sendsLeft: 1 });
  assert.equal(verificationView({ ...pending({ expiresAt: now }), id: 'v1', channel: 'sms', verifiedAt: null }, now).status, 'expired');
});
