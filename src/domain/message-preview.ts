/**
 * The one-line preview of a thread entry in the conversation list (spec:
 * messaging-inbox.txt, "The conversation row preview shows the latest voice
 * activity, e.g. “Voice call - 41s - ended” or “Voicemail - 0:38”").
 */
import type { EntryChannel } from '../db/schema.js';

/** How a voice call ended, as the call card and preview show it. */
export type CallOutcome = 'answered' | 'missed' | 'voicemail';

/** A voice call's details, stored in `messages.metadata.call` (channel 'voice'). */
export type CallDetails = {
  /** Whole seconds; 0 for a missed call. */
  durationSeconds: number;
  outcome: CallOutcome;
  transcriptUrl?: string | null;
  recordingUrl?: string | null;
};

/** Longest preview, in characters (UTF-16 code units); longer text ends in "…". */
export const PREVIEW_MAX_CHARS = 140;

/** The call details in an entry's metadata, or null when absent or malformed. */
export function callDetails(metadata: Record<string, unknown>): CallDetails | null {
  const call = metadata.call as Partial<CallDetails> | undefined;
  if (!call || typeof call !== 'object') return null;
  if (typeof call.durationSeconds !== 'number' || !['answered', 'missed', 'voicemail'].includes(call.outcome as string)) return null;
  return { durationSeconds: call.durationSeconds, outcome: call.outcome as CallOutcome, transcriptUrl: call.transcriptUrl ?? null, recordingUrl: call.recordingUrl ?? null };
}

/** m:ss, e.g. 38 → "0:38", 125 → "2:05". */
export function minutesSeconds(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Preview text: voice calls as "Voice call - 41s - ended", "Voicemail - 0:38"
 * or "Missed call"; media without text as "Photo", "Video", "Audio" or
 * "Attachment" (judged by the first media item's MIME type, else the
 * entry's content type); otherwise the body with whitespace collapsed, cut to
 * PREVIEW_MAX_CHARS.
 */
export function previewText(entry: { body: string; channel: EntryChannel; contentType: string; metadata: Record<string, unknown>; mediaType?: string | null }): string {
  if (entry.channel === 'voice') {
    const call = callDetails(entry.metadata);
    if (call?.outcome === 'voicemail') return `Voicemail - ${minutesSeconds(call.durationSeconds)}`;
    if (call?.outcome === 'missed') return 'Missed call';
    if (call) return `Voice call - ${Math.round(call.durationSeconds)}s - ended`;
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
