/**
 * The call-state rule (src/domain/call-state.ts): every combination of
 * final status, dial result, answered leg, recording and escalation gives
 * the documented outcome; any order of the same callbacks gives the same
 * state; withheld numbers; previews.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  callerNumber, callOutcome, callState, needsResolution, needsSpeechToText, twilioTranscribes,
  type CallFact, type DialCallStatus, type RecordingStatus, type TwilioCallStatus,
} from '../../src/domain/call-state.js';
import { callDetails, callPreview, previewText, transcriptExcerpt } from '../../src/domain/message-preview.js';
import { toE164 } from '../../src/domain/phone.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 5, 9, 0, s));
const FINAL: TwilioCallStatus[] = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];
const DIALS: (DialCallStatus | null)[] = [null, 'completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'];
const RECORDINGS: ({ status: RecordingStatus; durationSeconds: number | null } | null)[] = [
  null, { status: 'completed', durationSeconds: 38 }, { status: 'completed', durationSeconds: 0 }, { status: 'absent', durationSeconds: 0 },
  { status: 'failed', durationSeconds: null }, { status: 'in-progress', durationSeconds: null },
];

/** The rule written out once more, as the module comment states it. */
function expected(i: { finalStatus: TwilioCallStatus; escalated: boolean; dialStatus: DialCallStatus | null; legAnswered: boolean; recording: (typeof RECORDINGS)[number] }) {
  if (i.escalated) return 'escalation';
  if (i.finalStatus === 'failed') return 'errored';
  if (i.recording?.status === 'completed' && (i.recording.durationSeconds ?? 0) > 0) return 'voicemail';
  if (i.recording?.status === 'failed') return 'errored';
  if (i.dialStatus === 'completed' || i.dialStatus === 'answered' || i.legAnswered) return 'answered';
  if (i.dialStatus === 'failed') return 'errored';
  return 'missed';
}

test('callOutcome: every combination of final status, dial, leg, recording and escalation', () => {
  let cases = 0;
  for (const direction of ['inbound', 'outbound'] as const) for (const finalStatus of FINAL) for (const dialStatus of DIALS)
    for (const legAnswered of [false, true]) for (const recording of RECORDINGS) for (const escalated of [false, true]) {
      const input = { direction, finalStatus, escalated, dialStatus, legAnswered, recording };
      assert.equal(callOutcome(input), expected(input), JSON.stringify(input));
      cases++;
    }
  assert.equal(cases, 2 * 5 * 7 * 2 * 6 * 2);
});

test('spot checks in plain words', () => {
  const base = { direction: 'inbound' as const, escalated: false, legAnswered: false, recording: null };
  assert.equal(callOutcome({ ...base, finalStatus: 'completed', dialStatus: 'completed' }), 'answered');
  assert.equal(callOutcome({ ...base, finalStatus: 'completed', dialStatus: 'no-answer', recording: { status: 'completed', durationSeconds: 38 } }), 'voicemail');
  assert.equal(callOutcome({ ...base, finalStatus: 'completed', dialStatus: 'no-answer', recording: { status: 'absent', durationSeconds: 0 } }), 'missed', 'absent = no audio, no voicemail');
  assert.equal(callOutcome({ ...base, finalStatus: 'canceled', dialStatus: null }), 'missed', 'hung up while ringing');
  assert.equal(callOutcome({ ...base, finalStatus: 'failed', dialStatus: null }), 'errored');
});

const answeredCall: CallFact[] = [
  { kind: 'status', sequence: 0, callStatus: 'initiated', at: at(0), callDurationSeconds: null },
  { kind: 'status', sequence: 1, callStatus: 'ringing', at: at(1), callDurationSeconds: null },
  { kind: 'leg', callStatus: 'in-progress', at: at(6), answeredBy: '+447700900001' },
  { kind: 'status', sequence: 2, callStatus: 'in-progress', at: at(6), callDurationSeconds: null },
  { kind: 'dial', dialStatus: 'completed', at: at(47), dialDurationSeconds: 41 },
  { kind: 'status', sequence: 3, callStatus: 'completed', at: at(48), callDurationSeconds: 48 },
];
const voicemailCall: CallFact[] = [
  { kind: 'status', sequence: 0, callStatus: 'ringing', at: at(0), callDurationSeconds: null },
  { kind: 'dial', dialStatus: 'no-answer', at: at(20), dialDurationSeconds: 0 },
  { kind: 'status', sequence: 1, callStatus: 'in-progress', at: at(20), callDurationSeconds: null },
  { kind: 'recording', recordingSid: 'RE' + '1'.repeat(32), status: 'completed', at: at(60), durationSeconds: 38, voicemail: true },
  { kind: 'status', sequence: 2, callStatus: 'completed', at: at(61), callDurationSeconds: 61 },
  { kind: 'transcription', status: 'completed', at: at(70), text: 'Hi, it is Sam about the MOT.' },
];

const escalatedCall: CallFact[] = [
  { kind: 'status', sequence: 0, callStatus: 'ringing', at: at(0), callDurationSeconds: null },
  { kind: 'leg', callStatus: 'no-answer', at: at(15), answeredBy: '+447700900001' },
  { kind: 'dial', dialStatus: 'no-answer', at: at(15), dialDurationSeconds: 0 },
  { kind: 'leg', callStatus: 'in-progress', at: at(22), answeredBy: '+447700900099', escalation: true },
  { kind: 'status', sequence: 1, callStatus: 'in-progress', at: at(22), callDurationSeconds: null },
  { kind: 'escalation', dialStatus: 'completed', at: at(117), dialDurationSeconds: 95, to: '+447700900099' },
  { kind: 'status', sequence: 2, callStatus: 'completed', at: at(118), callDurationSeconds: 118 },
];

test('escalation: the escalation number picked up after the ring list did not; its talk time, who, needs resolving', () => {
  const s = callState('inbound', 'ringing', escalatedCall);
  assert.equal(s.outcome, 'escalation');
  assert.equal(s.durationSeconds, 95);
  assert.equal(s.answeredBy, '+447700900099');
  assert.deepEqual(s.answeredAt, at(22));
  assert.equal(needsResolution('inbound', s.outcome), true, 'the garage never spoke to the caller');
  const withoutAction = escalatedCall.filter((f) => f.kind !== 'escalation');
  assert.equal(callState('inbound', 'ringing', withoutAction).outcome, 'escalation', "the escalation leg's answer is enough (its <Dial action> may come late)");
  const withoutLeg = escalatedCall.filter((f) => !(f.kind === 'leg' && f.escalation));
  assert.equal(callState('inbound', 'ringing', withoutLeg).answeredBy, '+447700900099', 'who: from the escalation <Dial> when the leg callback is missing');
  const unanswered: CallFact[] = [
    ...escalatedCall.filter((f) => f.kind !== 'escalation' && !(f.kind === 'leg' && f.escalation)),
    { kind: 'escalation', dialStatus: 'no-answer', at: at(40), dialDurationSeconds: 0, to: '+447700900099' },
  ];
  assert.equal(callState('inbound', 'ringing', unanswered).outcome, 'missed', 'an escalation number that does not answer is no escalation');
});

test('a whole answered call: outcome, talk time from the Dial, who answered, times', () => {
  const s = callState('inbound', 'ringing', answeredCall);
  assert.equal(s.status, 'completed');
  assert.equal(s.outcome, 'answered');
  assert.equal(s.durationSeconds, 41);
  assert.equal(s.answeredBy, '+447700900001');
  assert.deepEqual(s.answeredAt, at(6));
  assert.deepEqual(s.endedAt, at(48));
  assert.equal(needsResolution('inbound', s.outcome), false, 'answered calls resolve themselves');
});

test('a voicemail: its length, the transcript, needs resolving', () => {
  const s = callState('inbound', 'ringing', voicemailCall);
  assert.equal(s.outcome, 'voicemail');
  assert.equal(s.durationSeconds, 38);
  assert.deepEqual(s.transcript, { text: 'Hi, it is Sam about the MOT.', source: 'twilio' });
  assert.equal(needsResolution('inbound', s.outcome), true);
  assert.equal(needsResolution('outbound', 'missed'), false, 'a call the garage placed needs no resolving');
});

test('live calls have no outcome; a late live status never reopens an ended call', () => {
  assert.equal(callState('inbound', 'ringing', []).outcome, null);
  assert.equal(callState('inbound', 'ringing', answeredCall.slice(0, 4)).status, 'in-progress');
  const late = callState('inbound', 'ringing', [
    { kind: 'status', sequence: 3, callStatus: 'completed', at: at(48), callDurationSeconds: 48 },
    { kind: 'status', sequence: 7, callStatus: 'ringing', at: at(1), callDurationSeconds: null },
  ]);
  assert.equal(late.status, 'completed');
  assert.equal(late.live, false);
});

test('any order and any duplication of the same callbacks gives the same state', () => {
  for (const facts of [answeredCall, voicemailCall, escalatedCall]) {
    const reference = callState('inbound', 'ringing', facts);
    fc.assert(fc.property(
      fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length }),
      fc.array(fc.nat({ max: facts.length - 1 }), { maxLength: facts.length * 2 }),
      (order, duplicates) => {
        assert.deepEqual(callState('inbound', 'ringing', [...order, ...duplicates.map((i) => facts[i]!)]), reference);
      },
    ));
  }
});

test('speech to text fills in when Twilio gives no transcript; Twilio transcribes only between 2 s and 120 s', () => {
  const long: CallFact[] = [
    { kind: 'status', sequence: 0, callStatus: 'completed', at: at(200), callDurationSeconds: 200 },
    { kind: 'recording', recordingSid: 'RE' + '2'.repeat(32), status: 'completed', at: at(199), durationSeconds: 180, voicemail: true },
    { kind: 'transcription', status: 'failed', at: at(201), text: null },
    { kind: 'speech_to_text', at: at(230), text: ' Long message about the clutch. ' },
  ];
  assert.deepEqual(callState('inbound', 'ringing', long).transcript, { text: 'Long message about the clutch.', source: 'speech_to_text' });
  assert.deepEqual([2, 3, 119, 120].map(twilioTranscribes), [false, true, true, false]);
});

test('needsSpeechToText: outside 2–120 s, or when Twilio reported failed; never after Twilio completed', () => {
  for (const d of [0, 1, 2, 3, 60, 119, 120, 180, 300]) {
    assert.equal(needsSpeechToText(d, null), !twilioTranscribes(d), `${d}s, nothing from Twilio yet`);
    assert.equal(needsSpeechToText(d, 'failed'), true, `${d}s, Twilio failed`);
    assert.equal(needsSpeechToText(d, 'completed'), false, `${d}s, Twilio completed`);
  }
});

test('withheld numbers: anonymous, restricted, keypad sentinels and any non-E.164 From', () => {
  const possible = (n: string) => toE164(n) === n;
  for (const from of ['anonymous', 'Anonymous', 'restricted', 'unavailable', '+266696687', '+7378742833', '+8656696', '+2562533', '+86282452253', '', null, '07700900123', 'client:alice', '+0123456789'])
    assert.equal(callerNumber(from, possible), null, String(from));
  assert.equal(callerNumber('+447700900123', possible), '+447700900123');
  assert.equal(callerNumber('+14155550123', possible), '+14155550123');
});

test('previews: the spec formats, and live calls', () => {
  const card = (over: object) => callDetails({ call: { callId: null, state: 'ended', outcome: 'answered', durationSeconds: 41, ...over } })!;
  assert.equal(callPreview(card({}), 'inbound'), 'Voice call - 41s - ended');
  assert.equal(callPreview(card({ outcome: 'voicemail', durationSeconds: 38 }), 'inbound'), 'Voicemail - 0:38');
  assert.equal(callPreview(card({ outcome: 'missed', durationSeconds: 0 }), 'inbound'), 'Missed call');
  assert.equal(callPreview(card({ outcome: 'escalation' }), 'inbound'), 'Escalated call');
  assert.equal(callPreview(card({ outcome: 'errored' }), 'inbound'), 'Call failed');
  assert.equal(callPreview(card({ state: 'ringing', outcome: null }), 'inbound'), 'Incoming call');
  assert.equal(callPreview(card({ state: 'ringing', outcome: null }), 'outbound'), 'Outgoing call');
  assert.equal(callPreview(card({ state: 'in-progress', outcome: null }), 'inbound'), 'Voice call - in progress');
  assert.equal(previewText({ body: '', channel: 'voice', contentType: 'call', metadata: { call: { durationSeconds: 38, outcome: 'voicemail' } } }), 'Voicemail - 0:38', 'seeded rows keep their preview');
  assert.equal(callDetails({ call: { state: 'ended', outcome: null } }), null, 'an ended call without outcome is malformed');
  assert.equal(transcriptExcerpt('  a   b '), 'a b');
  const long = transcriptExcerpt('word '.repeat(100))!;
  assert.ok(long.length <= 160 && long.endsWith('…'));
});
