/**
 * The one-line preview of a thread entry in the conversation list (spec:
 * messaging-inbox.txt, "The conversation row preview shows the latest voice
 * activity, e.g. “Voice call - 41s - ended” or “Voicemail - 0:38”").
 */
import type { EntryChannel } from '../db/schema.js';
import { CALL_OUTCOMES, type CallOutcome } from './call-state.js';

export type { CallOutcome };

/** A voice call's card, stored in `messages.metadata.call` (channel 'voice'), kept by src/ingest/record-call.ts. */
export type CallDetails = {
  /** The call's id (`/v1/calls/{id}`); null on seeded rows without one. */
  callId: string | null;
  /** `ringing` or `in-progress` while live, `ended` after. */
  state: 'ringing' | 'in-progress' | 'ended';
  /** Null while the call is live. */
  outcome: CallOutcome | null;
  /** Whole seconds: talk time, or the voicemail's length; null while live. */
  durationSeconds: number | null;
  hasRecording: boolean;
  /** The transcript's first lines (at most TRANSCRIPT_EXCERPT_CHARS). */
  transcriptExcerpt: string | null;
  /** Missed, voicemail, escalation or errored inbound call nobody has marked resolved yet. */
  awaitingResolution: boolean;
  /** Null when the number is withheld or the viewer may not see it (redacted by the presenter). */
  answeredBy: string | null;
};

/** Length of the transcript excerpt on the call card, in characters. */
export const TRANSCRIPT_EXCERPT_CHARS = 160;

/** Longest preview, in characters (UTF-16 code units); longer text ends in "…". */
export const PREVIEW_MAX_CHARS = 140;

/** The call details in an entry's metadata, or null when absent or malformed. */
export function callDetails(metadata: Record<string, unknown>): CallDetails | null {
  const call = metadata.call as Record<string, unknown> | undefined;
  if (!call || typeof call !== 'object') return null;
  const outcome = (CALL_OUTCOMES as readonly unknown[]).includes(call.outcome) ? (call.outcome as CallOutcome) : null;
  const state = call.state === 'ringing' || call.state === 'in-progress' ? call.state : 'ended';
  if (state === 'ended' && outcome === null) return null;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    callId: str(call.callId),
    state,
    outcome,
    durationSeconds: typeof call.durationSeconds === 'number' ? call.durationSeconds : null,
    hasRecording: call.hasRecording === true,
    transcriptExcerpt: str(call.transcriptExcerpt),
    awaitingResolution: call.awaitingResolution === true,
    answeredBy: str(call.answeredBy),
  };
}

/** The first lines of a transcript for the call card: whitespace collapsed, cut at a word to TRANSCRIPT_EXCERPT_CHARS. */
export function transcriptExcerpt(text: string | null): string | null {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!flat) return null;
  if (flat.length <= TRANSCRIPT_EXCERPT_CHARS) return flat;
  const cut = flat.slice(0, TRANSCRIPT_EXCERPT_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > TRANSCRIPT_EXCERPT_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The call card's one-line summary (also the row preview). */
export function callPreview(call: CallDetails, direction: 'inbound' | 'outbound' | 'internal'): string {
  if (call.state === 'ringing') return direction === 'outbound' ? 'Outgoing call' : 'Incoming call';
  if (call.state === 'in-progress') return 'Voice call - in progress';
  switch (call.outcome) {
    case 'voicemail': return `Voicemail - ${minutesSeconds(call.durationSeconds ?? 0)}`;
    case 'missed': return 'Missed call';
    case 'escalation': return 'Escalated call';
    case 'errored': return 'Call failed';
    default: return `Voice call - ${Math.round(call.durationSeconds ?? 0)}s - ended`;
  }
}

/** m:ss, e.g. 38 → "0:38", 125 → "2:05". */
export function minutesSeconds(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Preview text: voice calls as "Voice call - 41s - ended", "Voicemail - 0:38",
 * "Missed call", "Escalated call", "Call failed" (live: "Incoming call",
 * "Outgoing call", "Voice call - in progress"); media without text as "Photo", "Video", "Audio" or
 * "Attachment" (judged by the first media item's MIME type, else the
 * entry's content type); otherwise the body with whitespace collapsed, cut to
 * PREVIEW_MAX_CHARS.
 */
export function previewText(entry: { body: string; channel: EntryChannel; direction?: 'inbound' | 'outbound' | 'internal'; contentType: string; metadata: Record<string, unknown>; mediaType?: string | null }): string {
  if (entry.channel === 'voice') {
    const call = callDetails(entry.metadata);
    if (call) return callPreview(call, entry.direction ?? 'inbound');
  }
  const text = entry.body.replace(/\s+/g, ' ').trim();
  if (!text) {
    const type = (entry.mediaType ?? entry.contentType).toLowerCase();
    if (type.startsWith('image')) return 'Photo';
    if (type.startsWith('video')) return 'Video';
    if (type.startsWith('audio')) return 'Audio';
    return type === 'text' ? '' : 'Attachment';
  }
  return text.length > PREVIEW_MAX_CHARS ? `${text.slice(0, PREVIEW_MAX_CHARS - 1).trimEnd()}…` : text;
}
