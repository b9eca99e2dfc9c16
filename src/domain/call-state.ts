/**
 * A voice call's state from the Twilio callbacks we accepted, as a pure rule
 * (issue 14 item 3; spec: messaging-inbox.txt, voice section; Twilio facts:
 * provider-protocols.md §6 and §11a).
 *
 * The state is recomputed from every event of the call, so callbacks
 * arriving in any order, or twice, give the same result:
 * - status: the `CallStatus` of the highest `SequenceNumber` (the incoming
 *   call webhook counts as sequence -1), and a terminal status (completed,
 *   busy, no-answer, failed, canceled) is never replaced by a live one;
 * - outcome (only once the call has ended): `escalation` when the call was
 *   passed on past the ring list to the garage's escalation number (the
 *   owner's mobile, an answering service: voice_settings.escalation_number)
 *   and that number picked up (its `<Dial>` ended `completed`/`answered`, or
 *   its ring leg answered) — the garage itself never spoke to the caller, so
 *   the call needs following up; `errored` when the call failed, its voicemail recording
 *   failed, or the ring leg failed without a voicemail; `voicemail` when a
 *   `<Record>` recording completed with audio (a recording `absent` or of
 *   0 s is no voicemail); `answered` when someone picked up (a `<Dial>`
 *   ended `completed`/`answered`, or a ring leg answered; for an outbound
 *   call, the customer's leg); otherwise `missed` (busy, no-answer,
 *   canceled, hung up while ringing);
 * - a call needs resolving (stays in Unread until Mark resolved) when it is
 *   inbound and its outcome is missed, voicemail, escalation or errored;
 *   answered calls resolve themselves.
 */

export const CALL_OUTCOMES = ['answered', 'missed', 'voicemail', 'escalation', 'errored'] as const;
/** How a call ended, as the call card and the preview show it. */
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Twilio `CallStatus` values (twilio-node call.ts). */
export const TWILIO_CALL_STATUSES = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type TwilioCallStatus = (typeof TWILIO_CALL_STATUSES)[number];
const TERMINAL: ReadonlySet<string> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** `DialCallStatus` of the `<Dial action>` request. */
export type DialCallStatus = 'completed' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';
/** `RecordingStatus` of the recording status callback. */
export type RecordingStatus = 'in-progress' | 'completed' | 'absent' | 'failed';

/** One accepted callback, as the rule needs it (times are Date, durations whole seconds). */
export type CallFact =
  | { kind: 'status'; sequence: number; callStatus: TwilioCallStatus; at: Date; callDurationSeconds: number | null }
  | { kind: 'dial'; dialStatus: DialCallStatus; at: Date; dialDurationSeconds: number | null }
  /** A ring leg; `escalation` when it rang the escalation number. */
  | { kind: 'leg'; callStatus: TwilioCallStatus; at: Date; answeredBy: string | null; escalation?: boolean }
  | { kind: 'recording'; recordingSid: string; status: RecordingStatus; at: Date; durationSeconds: number | null; voicemail: boolean }
  | { kind: 'transcription'; status: 'in-progress' | 'completed' | 'failed'; at: Date; text: string | null }
  | { kind: 'speech_to_text'; at: Date; text: string }
  /** The `<Dial action>` of the escalation number's `<Dial>`. */
  | { kind: 'escalation'; at: Date; dialStatus: DialCallStatus; dialDurationSeconds: number | null; to: string | null };

export type CallState = {
  status: TwilioCallStatus;
  /** False once the call reached a terminal status. */
  live: boolean;
  /** Null while the call is live. */
  outcome: CallOutcome | null;
  /** Talk time for answered calls, message length for voicemail, 0 otherwise; null while live. */
  durationSeconds: number | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  /** Label of the ring target (or staff member) who picked up. */
  answeredBy: string | null;
  recording: { sid: string; status: RecordingStatus; durationSeconds: number | null } | null;
  transcript: { text: string; source: 'twilio' | 'speech_to_text' } | null;
};

const RECORDING_RANK: Record<RecordingStatus, number> = { 'in-progress': 0, absent: 1, failed: 1, completed: 2 };

/** The latest status: highest sequence wins, and a terminal status is never followed by a live one. */
function latestStatus(facts: CallFact[], initial: TwilioCallStatus): { status: TwilioCallStatus; at: Date | null } {
  let best: { status: TwilioCallStatus; at: Date | null; sequence: number } = { status: initial, at: null, sequence: -1 };
  for (const f of facts) {
    if (f.kind !== 'status') continue;
    const bestTerminal = TERMINAL.has(best.status);
    const terminal = TERMINAL.has(f.callStatus);
    if ((terminal && !bestTerminal) || (terminal === bestTerminal && f.sequence > best.sequence)) best = { status: f.callStatus, at: f.at, sequence: f.sequence };
  }
  return best;
}

/** The voicemail recording that counts: completed beats absent/failed beats in-progress. */
function voicemailRecording(facts: CallFact[]): Extract<CallFact, { kind: 'recording' }> | null {
  let best: Extract<CallFact, { kind: 'recording' }> | null = null;
  for (const f of facts) {
    if (f.kind === 'recording' && (!best || RECORDING_RANK[f.status] > RECORDING_RANK[best.status])) best = f;
  }
  return best;
}

/**
 * The outcome of an ended call.
 * @param input what the callbacks established
 */
export function callOutcome(input: {
  direction: 'inbound' | 'outbound';
  finalStatus: TwilioCallStatus;
  escalated: boolean;
  dialStatus: DialCallStatus | null;
  legAnswered: boolean;
  recording: { status: RecordingStatus; durationSeconds: number | null } | null;
}): CallOutcome {
  if (input.escalated) return 'escalation';
  if (input.finalStatus === 'failed') return 'errored';
  const rec = input.recording;
  if (rec?.status === 'completed' && (rec.durationSeconds ?? 0) > 0) return 'voicemail';
  if (rec?.status === 'failed') return 'errored';
  if (input.dialStatus === 'completed' || input.dialStatus === 'answered' || input.legAnswered) return 'answered';
  if (input.dialStatus === 'failed') return 'errored';
  return 'missed';
}

/**
 * The call's state from its facts, in any order.
 * @param initial the status the call was created with (`ringing` for the incoming webhook, `queued` for an outbound call)
 */
export function callState(direction: 'inbound' | 'outbound', initial: TwilioCallStatus, facts: CallFact[]): CallState {
  const { status, at: statusAt } = latestStatus(facts, initial);
  const live = !TERMINAL.has(status);
  const dials = facts.filter((f): f is Extract<CallFact, { kind: 'dial' }> => f.kind === 'dial');
  const dial = dials.find((d) => d.dialStatus === 'completed' || d.dialStatus === 'answered') ?? dials[0] ?? null;
  const legs = facts.filter((f): f is Extract<CallFact, { kind: 'leg' }> => f.kind === 'leg' && (f.callStatus === 'in-progress' || f.callStatus === 'completed'));
  const answeredLeg = legs.find((f) => !f.escalation);
  const escalationLeg = legs.find((f) => f.escalation);
  const escalationDial = facts.find((f): f is Extract<CallFact, { kind: 'escalation' }> => f.kind === 'escalation');
  const escalated = Boolean(escalationLeg) || escalationDial?.dialStatus === 'completed' || escalationDial?.dialStatus === 'answered';
  const recordingFact = voicemailRecording(facts);
  const voicemailFact = recordingFact?.voicemail ? recordingFact : null;
  const completed = facts.filter((f): f is Extract<CallFact, { kind: 'status' }> => f.kind === 'status' && TERMINAL.has(f.callStatus));
  const callDuration = completed.map((f) => f.callDurationSeconds).find((d) => d !== null) ?? null;

  const outcome = live ? null : callOutcome({
    direction,
    finalStatus: status,
    escalated,
    dialStatus: dial?.dialStatus ?? null,
    legAnswered: Boolean(answeredLeg),
    recording: voicemailFact ? { status: voicemailFact.status, durationSeconds: voicemailFact.durationSeconds } : null,
  });

  let durationSeconds: number | null = null;
  if (outcome === 'answered') durationSeconds = dial?.dialDurationSeconds ?? callDuration ?? 0;
  else if (outcome === 'escalation') durationSeconds = escalationDial?.dialDurationSeconds ?? 0;
  else if (outcome === 'voicemail') durationSeconds = voicemailFact?.durationSeconds ?? 0;
  else if (outcome !== null) durationSeconds = 0;

  const inProgress = facts
    .filter((f) => (f.kind === 'status' || f.kind === 'leg') && f.callStatus === 'in-progress')
    .map((f) => f.at.getTime());
  const twilioText = facts.find((f): f is Extract<CallFact, { kind: 'transcription' }> => f.kind === 'transcription' && f.status === 'completed' && Boolean(f.text?.trim()));
  const sttText = facts.find((f): f is Extract<CallFact, { kind: 'speech_to_text' }> => f.kind === 'speech_to_text' && Boolean(f.text.trim()));

  return {
    status,
    live,
    outcome,
    durationSeconds,
    answeredAt: (outcome === 'answered' || outcome === 'escalation') && inProgress.length > 0 ? new Date(Math.min(...inProgress)) : null,
    endedAt: live ? null : statusAt,
    answeredBy: outcome === 'answered' ? answeredLeg?.answeredBy ?? null : outcome === 'escalation' ? escalationLeg?.answeredBy ?? escalationDial?.to ?? null : null,
    recording: recordingFact ? { sid: recordingFact.recordingSid, status: recordingFact.status, durationSeconds: recordingFact.durationSeconds } : null,
    transcript: twilioText ? { text: twilioText.text!.trim(), source: 'twilio' } : sttText ? { text: sttText.text.trim(), source: 'speech_to_text' } : null,
  };
}

/** Whether a call keeps its conversation in Unread until someone marks it resolved. */
export function needsResolution(direction: 'inbound' | 'outbound', outcome: CallOutcome | null): boolean {
  return direction === 'inbound' && outcome !== null && outcome !== 'answered';
}

/**
 * Twilio's legacy transcription covers `<Record>` recordings longer than 2 s
 * and shorter than 120 s (Twilio error 13617); others need speech to text.
 */
export function twilioTranscribes(durationSeconds: number): boolean {
  return durationSeconds > 2 && durationSeconds < 120;
}

/**
 * Whether a voicemail goes to the speech-to-text driver: when Twilio's
 * transcription does not cover its length (`twilioTranscribes`), or Twilio
 * reported its transcription `failed`; never once Twilio's completed.
 * @param durationSeconds the recording's length
 * @param twilio what Twilio's transcription callback said so far (null: nothing yet)
 */
export function needsSpeechToText(durationSeconds: number, twilio: 'completed' | 'failed' | null): boolean {
  if (twilio === 'completed') return false;
  return twilio === 'failed' || !twilioTranscribes(durationSeconds);
}

/** Keypad-spelled "no caller id" sentinels (provider-protocols.md §6). */
const WITHHELD_SENTINELS: ReadonlySet<string> = new Set(['+266696687', '+7378742833', '+8656696', '+2562533', '+86282452253']);

/**
 * The caller's number, or null when it is withheld: `anonymous`,
 * `restricted`, `unavailable`, the keypad sentinels, or any `From` that is
 * not E.164 (provider-protocols.md §6, §11a).
 * @param from Twilio's `From`
 * @param isPossibleE164 whether the number is a possible phone number (src/domain/phone.ts)
 */
export function callerNumber(from: string | null | undefined, isPossibleE164: (n: string) => boolean): string | null {
  const value = (from ?? '').trim();
  if (!/^\+[1-9]\d{6,14}$/.test(value) || WITHHELD_SENTINELS.has(value)) return null;
  return isPossibleE164(value) ? value : null;
}
