/**
 * What a Twilio Voice callback does to the database (issue 14; spec:
 * messaging-inbox.txt, voice section): the call joins its conversation,
 * each callback is stored once, and the call's state is recomputed.
 *
 * - A call from a known customer joins that customer's one conversation; an
 *   unknown number joins the conversation keyed on that number (the one its
 *   SMS would join); both through `recordInbound` and its unique indexes. A
 *   withheld number gets a conversation of its own keyed on the CallSid
 *   (`conversations_one_per_anonymous_call`), so duplicates still find one.
 * - Exactly once per (organisation, call, event key), by the unique index of
 *   `call_events` (`INSERT … ON CONFLICT DO NOTHING`); the call row is locked
 *   (`FOR UPDATE`) while its state is recomputed from all its events by the
 *   pure rule src/domain/call-state.ts, so concurrent and out-of-order
 *   callbacks end in the same state.
 * - The thread entry's `metadata.call` (card and preview) follows the state;
 *   a call that needs resolving stays unread (`read_at` null) until Mark
 *   resolved, which the unread-count trigger of migration 0005 counts.
 */
import { sql } from 'kysely';
import type { CallEventKind, CallTable } from '../db/schema.js';
import type { Selectable } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import { callState, needsResolution, type CallFact, type CallState, type TwilioCallStatus } from '../domain/call-state.js';
import { transcriptExcerpt, type CallDetails } from '../domain/message-preview.js';
import { recordInbound } from './record-inbound.js';

export type CallRow = Selectable<CallTable>;

/** A callback as stored: `details` is the CallFact without `kind` and `at`. */
export type CallEventInput = {
  key: string;
  kind: CallEventKind;
  sequence: number | null;
  callStatus: string | null;
  details: Record<string, unknown>;
  occurredAt: Date;
};

/** Shown as the conversation name of a withheld-number call. */
export const WITHHELD_NAME = 'Withheld number';

const RINGING: CallDetails = {
  callId: null, state: 'ringing', outcome: null, durationSeconds: null, hasRecording: false, transcriptExcerpt: null, awaitingResolution: false, answeredBy: null,
};

/**
 * Serialise every callback of one call (transaction-scoped advisory lock on
 * the organisation and CallSid, held to commit), taken before anything else
 * of the call is touched. Without it, a callback creating the call (which
 * locks the conversation first) and one updating it (which locks the call
 * first) can deadlock.
 */
export async function lockCallSid(trx: TenantTx, orgId: string, callSid: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${orgId}:${callSid}`}::text, 0))`.execute(trx);
}

/** The call with this sid (or our id), locked for the rest of the transaction; null when unknown. */
export async function lockCall(trx: TenantTx, orgId: string, by: { callSid?: string | null; callId?: string | null }): Promise<CallRow | null> {
  if (!by.callSid && !by.callId) return null;
  let q = trx.selectFrom('calls').selectAll().where('org_id', '=', orgId);
  q = by.callSid && by.callId
    ? q.where((eb) => eb.or([eb('call_sid', '=', by.callSid!), eb('id', '=', by.callId!)]))
    : by.callSid ? q.where('call_sid', '=', by.callSid) : q.where('id', '=', by.callId!);
  return (await q.orderBy(sql`call_sid IS NULL`).forUpdate().executeTakeFirst()) ?? null;
}

/**
 * The inbound call with this sid, created with its thread entry when it is
 * new (from the incoming-call webhook, or whichever callback comes first).
 * @param caller the caller's E.164 number, null when withheld
 */
export async function ensureInboundCall(trx: TenantTx, orgId: string, input: { callSid: string; caller: string | null; occurredAt: Date }): Promise<CallRow> {
  await lockCallSid(trx, orgId, input.callSid);
  const existing = await lockCall(trx, orgId, { callSid: input.callSid });
  if (existing) return existing;
  const metadata = JSON.stringify({ call: RINGING });
  let messageId: string | null;
  if (input.caller) {
    const recorded = await recordInbound(trx, orgId, {
      channel: 'voice', provider: 'twilio', providerMessageId: input.callSid, from: input.caller, contactName: null,
      contentType: 'call', body: '', media: [], metadata: { call: RINGING }, occurredAt: input.occurredAt, providerClock: true,
    });
    messageId = recorded.messageId;
  } else {
    const { rows } = await sql<{ message_id: string | null }>`
      WITH c AS (
        INSERT INTO conversations AS c (org_id, anonymous_call_sid, contact_name, last_channel, last_inbound_at, last_activity_at)
        VALUES (${orgId}::uuid, ${input.callSid}, ${WITHHELD_NAME}, 'voice', ${input.occurredAt}, ${input.occurredAt})
        ON CONFLICT (org_id, anonymous_call_sid) WHERE anonymous_call_sid IS NOT NULL DO UPDATE SET last_channel = c.last_channel
        RETURNING c.id
      )
      INSERT INTO messages (org_id, conversation_id, direction, channel, content_type, body, metadata, provider, provider_message_id, occurred_at)
      SELECT ${orgId}::uuid, c.id, 'inbound', 'voice', 'call', '', ${metadata}::jsonb, 'twilio', ${input.callSid}, ${input.occurredAt} FROM c
      ON CONFLICT (org_id, provider, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
      RETURNING id AS message_id
    `.execute(trx);
    messageId = rows[0]?.message_id ?? null;
  }
  if (!messageId) {
    // A concurrent callback created the entry (and committed: the unique index waited for it).
    const m = await trx.selectFrom('messages').select('id').where('org_id', '=', orgId).where('provider', '=', 'twilio').where('provider_message_id', '=', input.callSid).executeTakeFirstOrThrow();
    messageId = m.id;
  }
  await trx.insertInto('calls').values({
    org_id: orgId, call_sid: input.callSid, message_id: messageId, direction: 'inbound', caller_withheld: input.caller === null,
    status: 'ringing', outcome: null, duration_seconds: null, answered_by: null, recording_sid: null, recording_status: null,
    recording_duration_seconds: null, recording_url: null, transcript: null, transcript_source: null, resolved_by_user_id: null,
    placed_by_user_id: null, started_at: input.occurredAt,
  }).onConflict((oc) => oc.columns(['org_id', 'call_sid']).doNothing()).execute();
  const call = await lockCall(trx, orgId, { callSid: input.callSid });
  if (!call) throw new Error('call row vanished after insert');
  await writeCallCard(trx, orgId, call, callState('inbound', 'ringing', []));
  return call;
}

function factOf(row: { kind: CallEventKind; details: Record<string, unknown>; occurred_at: Date }): CallFact {
  return { ...row.details, kind: row.kind, at: row.occurred_at } as CallFact;
}

/**
 * Store one callback of `call` exactly once and recompute the call.
 * @returns duplicate true when this event was already stored (nothing changed)
 */
export async function recordCallEvent(trx: TenantTx, orgId: string, call: CallRow, event: CallEventInput): Promise<{ duplicate: boolean; state: CallState }> {
  const inserted = await trx.insertInto('call_events').values({
    org_id: orgId, call_id: call.id, event_key: event.key, kind: event.kind, sequence_number: event.sequence,
    call_status: event.callStatus, details: JSON.stringify(event.details), occurred_at: event.occurredAt,
  }).onConflict((oc) => oc.columns(['org_id', 'call_id', 'event_key']).doNothing()).returning('id').executeTakeFirst();
  const state = await refreshCall(trx, orgId, call);
  return { duplicate: !inserted, state };
}

/** Recompute the (locked) call from all its events and write its row and card. */
export async function refreshCall(trx: TenantTx, orgId: string, call: CallRow): Promise<CallState> {
  const rows = await trx.selectFrom('call_events').select(['kind', 'details', 'occurred_at']).where('org_id', '=', orgId).where('call_id', '=', call.id).orderBy('id').execute();
  const initial: TwilioCallStatus = call.direction === 'inbound' ? 'ringing' : 'queued';
  const state = callState(call.direction, initial, rows.map(factOf));
  let answeredBy = state.answeredBy;
  if (call.direction === 'outbound' && state.outcome === 'answered' && call.placed_by_user_id) {
    const staff = await trx.selectFrom('staff_users').select('name').where('org_id', '=', orgId).where('id', '=', call.placed_by_user_id).executeTakeFirst();
    answeredBy = staff?.name ?? answeredBy;
  }
  const full = { ...state, answeredBy };
  await trx.updateTable('calls').set({
    status: full.status, outcome: full.outcome, duration_seconds: full.durationSeconds, answered_at: full.answeredAt, ended_at: full.endedAt,
    answered_by: full.answeredBy, recording_sid: full.recording?.sid ?? null, recording_status: full.recording?.status ?? null,
    recording_duration_seconds: full.recording?.durationSeconds ?? null, transcript: full.transcript?.text ?? null,
    transcript_source: full.transcript?.source ?? null,
  }).where('org_id', '=', orgId).where('id', '=', call.id).execute();
  await writeCallCard(trx, orgId, call, full);
  return full;
}

/**
 * The thread entry's card from the state; an unresolved call that needs
 * resolving is kept unread (the unread-count trigger counts it back in).
 */
async function writeCallCard(trx: TenantTx, orgId: string, call: CallRow, state: CallState): Promise<void> {
  const stored = await trx.selectFrom('call_recordings').select('recording_sid').where('org_id', '=', orgId).where('call_id', '=', call.id).executeTakeFirst();
  const awaiting = needsResolution(call.direction, state.outcome) && call.resolved_at === null;
  const card: CallDetails = {
    callId: call.id,
    state: state.live ? (state.status === 'in-progress' ? 'in-progress' : 'ringing') : 'ended',
    outcome: state.outcome,
    durationSeconds: state.durationSeconds,
    hasRecording: Boolean(stored),
    transcriptExcerpt: transcriptExcerpt(state.transcript?.text ?? null),
    awaitingResolution: awaiting,
    answeredBy: state.answeredBy,
  };
  await trx.updateTable('messages')
    .set((eb) => ({
      metadata: sql`jsonb_set(${eb.ref('metadata')}, '{call}', ${JSON.stringify(card)}::jsonb)`,
      ...(awaiting ? { read_at: null } : {}),
    }))
    .where('org_id', '=', orgId).where('id', '=', call.message_id)
    .where(sql<boolean>`metadata->'call' IS DISTINCT FROM ${JSON.stringify(card)}::jsonb OR (${awaiting} AND read_at IS NOT NULL)`)
    .execute();
}
