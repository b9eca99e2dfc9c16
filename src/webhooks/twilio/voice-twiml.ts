/**
 * The TwiML our voice webhooks answer, built with the official `twilio`
 * package's VoiceResponse (attributes: provider-protocols.md §6; Twilio docs
 * "TwiML Voice: <Dial>", "<Number>", "<Record>").
 *
 * - Incoming call: `<Dial timeout action answerOnBridge>` ringing the
 *   garage's staff phones (up to ten `<Number>`s ring at once; the first to
 *   pick up is connected) or its SIP address, each with a status callback
 *   for `answered completed` so we know who picked up; when nobody is
 *   configured, straight to voicemail.
 * - Escalation (after a `<Dial>` of the ring list nobody answered, or first
 *   when there is no ring list): when the garage set an escalation number,
 *   a second `<Dial>` rings it (its `action` is `/twilio/voice/escalation`,
 *   its leg callback `/twilio/voice/leg?leg=escalation`); if it does not
 *   answer either, voicemail.
 * - Voicemail (after a `<Dial>` that was not answered): `<Say>` the garage's
 *   greeting, then `<Record>` with an explicit `action` (without one the call
 *   loops back into the incoming webhook, §11a), Twilio transcription, and a
 *   recording status callback for `completed absent`.
 * - Outbound call: the staff member's phone is called first and this TwiML
 *   then dials the customer with the garage number as caller id.
 */
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';

/** Longest voicemail in seconds; Twilio transcribes only up to 120 s, speech to text takes the rest. */
export const VOICEMAIL_MAX_SECONDS = 300;

export type RingPlan = { ringNumbers: string[]; sipAddress: string | null; timeoutSeconds: number; escalationNumber: string | null };

/** Absolute callback URLs (Twilio signs the URL it calls, so they are built on PUBLIC_BASE_URL). */
export type VoiceUrls = { dial: string; leg: string; recorded: string; recording: string; transcription: string; escalation: string; escalationLeg: string };

export function voiceUrls(publicBaseUrl: string, query = ''): VoiceUrls {
  const at = (path: string) => `${publicBaseUrl}/twilio/voice/${path}${query}`;
  return {
    dial: at('dial'), leg: at('leg'), recorded: at('recorded'), recording: at('recording'), transcription: at('transcription'),
    escalation: at('escalation'), escalationLeg: `${publicBaseUrl}/twilio/voice/leg${query ? `${query}&` : '?'}leg=escalation`,
  };
}

const LEG_EVENTS: ('answered' | 'completed')[] = ['answered', 'completed'];

/** Ring the escalation number; its `<Dial action>` decides between hanging up and voicemail. */
export function escalationTwiml(plan: RingPlan, urls: VoiceUrls): string {
  const r = new VoiceResponse();
  const dial = r.dial({ timeout: plan.timeoutSeconds, action: urls.escalation, method: 'POST', answerOnBridge: true });
  dial.number({ statusCallbackEvent: LEG_EVENTS, statusCallback: urls.escalationLeg, statusCallbackMethod: 'POST' }, plan.escalationNumber!);
  return r.toString();
}

/** Voicemail: the greeting, then a recording with transcription and status callbacks. */
export function voicemailTwiml(greeting: string, urls: VoiceUrls): string {
  const r = new VoiceResponse();
  r.say(greeting);
  r.record({
    action: urls.recorded, method: 'POST', maxLength: VOICEMAIL_MAX_SECONDS, playBeep: true, trim: 'trim-silence',
    transcribe: true, transcribeCallback: urls.transcription,
    recordingStatusCallback: urls.recording, recordingStatusCallbackMethod: 'POST', recordingStatusCallbackEvent: ['completed', 'absent'],
  });
  return r.toString();
}

/** The incoming-call answer: ring the garage, else the escalation number, else voicemail. */
export function incomingCallTwiml(plan: RingPlan, greeting: string, urls: VoiceUrls): string {
  if (plan.ringNumbers.length === 0 && !plan.sipAddress) return plan.escalationNumber ? escalationTwiml(plan, urls) : voicemailTwiml(greeting, urls);
  const r = new VoiceResponse();
  const dial = r.dial({ timeout: plan.timeoutSeconds, action: urls.dial, method: 'POST', answerOnBridge: true });
  const leg = { statusCallbackEvent: LEG_EVENTS, statusCallback: urls.leg, statusCallbackMethod: 'POST' as const };
  if (plan.sipAddress) dial.sip(leg, plan.sipAddress);
  else for (const n of plan.ringNumbers) dial.number(leg, n);
  return r.toString();
}

/** Outbound: the staff member answered; now dial the customer from the garage's number. */
export function outboundCallTwiml(customerNumber: string, garageNumber: string, urls: VoiceUrls): string {
  const r = new VoiceResponse();
  const dial = r.dial({ callerId: garageNumber, timeout: 30, action: urls.dial, method: 'POST', answerOnBridge: true });
  dial.number({ statusCallbackEvent: ['answered', 'completed'], statusCallback: urls.leg, statusCallbackMethod: 'POST' }, customerNumber);
  return r.toString();
}

/**
 * After the ring list's `<Dial>`: hang up when someone answered; otherwise,
 * inbound, the escalation number when there is one, else voicemail;
 * outbound, a short goodbye.
 */
export function dialCompleteTwiml(answered: boolean, inbound: boolean, plan: RingPlan, greeting: string, urls: VoiceUrls): string {
  if (!answered && inbound) return plan.escalationNumber ? escalationTwiml(plan, urls) : voicemailTwiml(greeting, urls);
  const r = new VoiceResponse();
  if (!answered) r.say('The customer did not answer.');
  r.hangup();
  return r.toString();
}

/** After the escalation number's `<Dial>`: hang up when it answered, else voicemail. */
export function escalationCompleteTwiml(answered: boolean, greeting: string, urls: VoiceUrls): string {
  if (!answered) return voicemailTwiml(greeting, urls);
  const r = new VoiceResponse();
  r.hangup();
  return r.toString();
}

/** After the voicemail: thank the caller and hang up (never loop back to the incoming webhook). */
export function recordedTwiml(): string {
  const r = new VoiceResponse();
  r.say('Thank you. Goodbye.');
  r.hangup();
  return r.toString();
}
