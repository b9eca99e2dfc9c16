/**
 * The call detail page's data (issue 14 item 5): the call, its timeline of
 * callbacks, who answered, the recording (played through our own
 * authenticated URL, never Twilio's), the full transcript and whether it
 * awaits resolution. The caller's number is included only for viewers who
 * may see contact details (technicians never receive it).
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import type { CallEventKind } from '../db/schema.js';
import { needsResolution, type CallOutcome } from '../domain/call-state.js';
import { minutesSeconds } from '../domain/message-preview.js';

export type CallTimelineEntry = { at: string; kind: CallEventKind; label: string };

export type CallDetail = {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  status: string;
  outcome: CallOutcome | null;
  durationSeconds: number | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  answeredBy: string | null;
  caller: { withheld: boolean; phone: string | null; customer: { id: string; name: string } | null; displayName: string };
  placedBy: string | null;
  recording: { status: string; durationSeconds: number | null; url: string | null } | null;
  transcript: { text: string; source: 'twilio' | 'speech_to_text' } | null;
  awaitingResolution: boolean;
  resolvedAt: string | null;
  resolvedBy: string | null;
  timeline: CallTimelineEntry[];
};

const STATUS_LABELS: Record<string, string> = {
  queued: 'Queued', initiated: 'Call started', ringing: 'Ringing', 'in-progress': 'Answered', completed: 'Call ended',
  busy: 'Line busy', 'no-answer': 'No answer', failed: 'Call failed', canceled: 'Caller hung up',
};
const DIAL_LABELS: Record<string, string> = {
  completed: 'Connected', answered: 'Connected', busy: 'Staff phones busy', 'no-answer': 'Nobody picked up', failed: 'Could not ring staff phones', canceled: 'Caller hung up while ringing',
};

/** One timeline line per stored callback. */
export function timelineLabel(kind: CallEventKind, details: Record<string, unknown>): string {
  const s = (k: string) => (typeof details[k] === 'string' ? (details[k] as string) : '');
  const n = (k: string) => (typeof details[k] === 'number' ? (details[k] as number) : null);
  switch (kind) {
    case 'status': {
      const d = n('callDurationSeconds');
      return `${STATUS_LABELS[s('callStatus')] ?? s('callStatus')}${d !== null && s('callStatus') === 'completed' ? ` (${d}s)` : ''}`;
    }
    case 'dial': return DIAL_LABELS[s('dialStatus')] ?? s('dialStatus');
    case 'leg': {
      const escalation = details.escalation === true;
      if (s('callStatus') === 'in-progress') return `Picked up by ${s('answeredBy') || 'staff'}${escalation ? ' (escalation number)' : ''}`;
      return `${escalation ? 'Escalation' : 'Staff'} leg ${STATUS_LABELS[s('callStatus')]?.toLowerCase() ?? s('callStatus')}`;
    }
    case 'recording': {
      const st = s('status');
      if (st === 'completed') return `Voicemail recorded (${minutesSeconds(n('durationSeconds') ?? 0)})`;
      if (st === 'absent') return 'No voicemail left (no audio)';
      if (st === 'failed') return 'Voicemail recording failed';
      return 'Recording voicemail';
    }
    case 'transcription': return s('status') === 'completed' ? 'Transcript received from Twilio' : s('status') === 'failed' ? 'Twilio could not transcribe' : 'Transcribing';
    case 'speech_to_text': return 'Transcribed by speech to text';
    case 'escalation': {
      const to = s('to');
      if (['completed', 'answered'].includes(s('dialStatus'))) return `Escalated: passed to the escalation number${to ? ` ${to}` : ''}`;
      return `Escalation number ${s('dialStatus') === 'busy' ? 'busy' : 'did not answer'}`;
    }
  }
}

/** @returns null when the call is not in this organisation */
export async function loadCallDetail(trx: TenantTx, orgId: string, callId: string, viewer: { contactVisible: boolean }): Promise<CallDetail | null> {
  const row = await trx.selectFrom('calls as k')
    .innerJoin('messages as m', (j) => j.onRef('m.org_id', '=', 'k.org_id').onRef('m.id', '=', 'k.message_id'))
    .innerJoin('conversations as c', (j) => j.onRef('c.org_id', '=', 'm.org_id').onRef('c.id', '=', 'm.conversation_id'))
    .leftJoin('customers as cu', (j) => j.onRef('cu.org_id', '=', 'c.org_id').onRef('cu.id', '=', 'c.customer_id'))
    .leftJoin('staff_users as r', (j) => j.onRef('r.org_id', '=', 'k.org_id').onRef('r.id', '=', 'k.resolved_by_user_id'))
    .leftJoin('staff_users as p', (j) => j.onRef('p.org_id', '=', 'k.org_id').onRef('p.id', '=', 'k.placed_by_user_id'))
    .leftJoin('call_recordings as rec', (j) => j.onRef('rec.org_id', '=', 'k.org_id').onRef('rec.call_id', '=', 'k.id'))
    .selectAll('k')
    .select(['m.conversation_id', 'c.customer_id', 'c.contact_phone', 'c.contact_name', 'cu.name as customer_name', 'cu.phone as customer_phone',
      'r.name as resolved_by_name', 'p.name as placed_by_name', 'rec.recording_sid as stored_recording_sid'])
    .where('k.org_id', '=', orgId).where('k.id', '=', callId).executeTakeFirst();
  if (!row) return null;
  const events = await trx.selectFrom('call_events').select(['kind', 'details', 'occurred_at'])
    .where('org_id', '=', orgId).where('call_id', '=', callId).orderBy(sql`date_trunc('second', occurred_at)`).orderBy('id').execute();
  const phone = row.caller_withheld ? null : row.customer_phone ?? row.contact_phone;
  return {
    id: row.id,
    conversationId: row.conversation_id,
    direction: row.direction,
    status: row.status,
    outcome: row.outcome,
    durationSeconds: row.duration_seconds,
    startedAt: row.started_at.toISOString(),
    answeredAt: row.answered_at?.toISOString() ?? null,
    endedAt: row.ended_at?.toISOString() ?? null,
    answeredBy: row.answered_by,
    caller: {
      withheld: row.caller_withheld,
      phone: viewer.contactVisible ? phone : null,
      customer: row.customer_id ? { id: row.customer_id, name: row.customer_name ?? '' } : null,
      displayName: row.customer_name ?? row.contact_name ?? (viewer.contactVisible ? phone : null) ?? 'Unknown caller',
    },
    placedBy: row.placed_by_name,
    recording: row.recording_status ? { status: row.recording_status, durationSeconds: row.recording_duration_seconds, url: row.stored_recording_sid ? `/v1/calls/${row.id}/recording` : null } : null,
    transcript: row.transcript && row.transcript_source ? { text: row.transcript, source: row.transcript_source } : null,
    awaitingResolution: needsResolution(row.direction, row.outcome) && row.resolved_at === null,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolvedBy: row.resolved_by_name,
    timeline: events.map((e) => ({ at: e.occurred_at.toISOString(), kind: e.kind, label: timelineLabel(e.kind, e.details) })),
  };
}
