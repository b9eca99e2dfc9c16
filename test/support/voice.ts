/**
 * Twilio Voice callbacks as Twilio sends them (provider-protocols.md §6,
 * §11a), signed with the official `twilio` helper by `postTwilio`.
 */
import { randomBytes } from 'node:crypto';
import { postTwilio, type Sent } from './providers.js';

export const callSid = () => `CA${randomBytes(16).toString('hex')}`;
export const recordingSid = () => `RE${randomBytes(16).toString('hex')}`;
export const transcriptionSid = () => `TR${randomBytes(16).toString('hex')}`;

export type VoiceOrg = { twilioNumber: string; twilioAccountSid: string; twilioAuthToken: string };

/** Posts one garage's voice callbacks to a running server. */
export function voiceCallbacks(baseUrl: string, org: VoiceOrg) {
  const base = (sid: string, from: string, to = org.twilioNumber) => ({
    AccountSid: org.twilioAccountSid, ApiVersion: '2010-04-01', CallSid: sid, From: from, To: to, Caller: from, Called: to, Direction: 'inbound',
  });
  const post = (path: string, params: Record<string, string>): Promise<Sent> => postTwilio(baseUrl, path, params, org.twilioAuthToken);
  return {
    incoming: (sid: string, from: string, opts: { to?: string; query?: string } = {}) =>
      post(`/twilio/voice${opts.query ?? ''}`, { ...base(sid, from, opts.to), CallStatus: 'ringing', CallToken: '' }),
    status: (sid: string, from: string, sequence: number, status: string, extra: Record<string, string> = {}) =>
      post('/twilio/voice/status', {
        ...base(sid, from), CallStatus: status, SequenceNumber: String(sequence), CallbackSource: 'call-progress-events',
        Timestamp: new Date().toUTCString().replace('GMT', '+0000'), ...extra,
      }),
    dial: (sid: string, from: string, dialStatus: string, dialDuration = 0) =>
      post('/twilio/voice/dial', { ...base(sid, from), CallStatus: 'in-progress', DialCallStatus: dialStatus, DialCallSid: callSid(), DialCallDuration: String(dialDuration), DialBridged: String(dialStatus === 'completed') }),
    leg: (parentSid: string, from: string, staffPhone: string, status: string, query = '') =>
      post(`/twilio/voice/leg${query}`, { AccountSid: org.twilioAccountSid, ApiVersion: '2010-04-01', CallSid: callSid(), ParentCallSid: parentSid, From: from, To: staffPhone, Direction: 'outbound-dial', CallStatus: status }),
    escalation: (sid: string, from: string, dialStatus: string, dialDuration = 0) =>
      post('/twilio/voice/escalation', { ...base(sid, from), CallStatus: 'in-progress', DialCallStatus: dialStatus, DialCallSid: callSid(), DialCallDuration: String(dialDuration), DialBridged: String(dialStatus === 'completed') }),
    recorded: (sid: string, from: string, recSid: string, duration: number) =>
      post('/twilio/voice/recorded', { ...base(sid, from), CallStatus: 'in-progress', RecordingSid: recSid, RecordingUrl: recordingUrl(org, recSid), RecordingDuration: String(duration), Digits: 'hangup' }),
    recording: (sid: string, recSid: string, status: string, duration: number) =>
      post('/twilio/voice/recording', {
        AccountSid: org.twilioAccountSid, CallSid: sid, RecordingSid: recSid, RecordingUrl: recordingUrl(org, recSid), RecordingStatus: status,
        RecordingDuration: String(duration), RecordingChannels: '1', RecordingSource: 'RecordVerb', RecordingStartTime: new Date().toUTCString(),
      }),
    transcription: (sid: string, from: string, recSid: string, text: string, status = 'completed') =>
      post('/twilio/voice/transcription', {
        ...base(sid, from), CallStatus: 'completed', TranscriptionSid: transcriptionSid(), TranscriptionText: text, TranscriptionStatus: status,
        TranscriptionType: 'fast', RecordingSid: recSid, RecordingUrl: recordingUrl(org, recSid), url: 'https://example.com/twilio/voice/transcription',
      }),
  };
}

export function recordingUrl(org: VoiceOrg, recSid: string): string {
  return `https://api.twilio.com/2010-04-01/Accounts/${org.twilioAccountSid}/Recordings/${recSid}`;
}
