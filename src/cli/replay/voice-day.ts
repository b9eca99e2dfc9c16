/**
 * The voice part of `npm run replay` (issue 14): a day of calls into the
 * demo garage's number as signed Twilio Voice webhooks — answered calls
 * from known customers, missed calls, voicemails with Twilio transcripts,
 * `absent` recordings, withheld numbers, calls passed on to the escalation
 * number and answered there, unknown callers who call twice —
 * each call's callbacks after the first sent out of order and partly twice,
 * concurrently; then its self-check through the API: each call stored once
 * with the outcome, duration and transcript its callbacks say, in the right
 * conversation (a known customer's own, one per unknown number, one per
 * withheld call), and the row preview of call-only conversations.
 * Recordings are not fetched here (the server downloads them from Twilio).
 */
import { randomBytes } from 'node:crypto';
import twilioWebhooks from 'twilio/lib/webhooks/webhooks.js';
import { createRng, type Rng } from './prng.js';
import type { ProviderSecrets } from './signing.js';
import type { Check } from './verify.js';

type Kind = 'answered' | 'missed' | 'voicemail' | 'absent' | 'withheld' | 'escalated';
type Callback = { path: string; params: Record<string, string> };
type PlannedCall = { sid: string; kind: Kind; from: string; known: string | null; first: Callback; rest: Callback[]; expect: { outcome: string; durationSeconds: number; transcript: string | null; preview: string } };

export type VoiceDayOptions = { baseUrl: string; apiToken: string; secrets: ProviderSecrets; seed: string; runId: string; garageNumber: string; concurrency: number; log?: (line: string) => void };
export type VoiceDayResult = { calls: number; requests: number; checks: Check[] };

const hex = (rng: Rng, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');

function planCalls(rng: Rng, o: VoiceDayOptions, customers: Array<{ phone: string; conversationId: string }>): PlannedCall[] {
  const account = `AC${hex(rng, 32)}`;
  const calls: PlannedCall[] = [];
  const unknown = Array.from({ length: 4 }, (_, i) => `+4477009007${String(rng.int(0, 9))}${i}`);
  const kinds: Kind[] = ['answered', 'missed', 'voicemail', 'absent', 'withheld', 'escalated'];
  for (let i = 0; i < 25; i++) {
    const kind = kinds[i % kinds.length]!;
    const known = kind === 'answered' && customers.length ? rng.pick(customers) : null;
    // An escalated call comes from a number of its own, so its conversation's preview is that call's.
    const from = kind === 'withheld' ? rng.pick(['anonymous', 'restricted', '+266696687'])
      : kind === 'escalated' ? `+4477009008${String(i).padStart(2, '0')}` : known?.phone ?? unknown[i % unknown.length]!;
    const sid = `CA${hex(rng, 32)}`;
    const base = { AccountSid: account, ApiVersion: '2010-04-01', CallSid: sid, From: from, To: o.garageNumber, Caller: from, Called: o.garageNumber, Direction: 'inbound' };
    const status = (seq: number, s: string, extra: Record<string, string> = {}): Callback => ({ path: '/twilio/voice/status', params: { ...base, CallStatus: s, SequenceNumber: String(seq), CallbackSource: 'call-progress-events', ...extra } });
    const rec = `RE${hex(rng, 32)}`;
    const recording = (s: string, d: number): Callback => ({ path: '/twilio/voice/recording', params: { AccountSid: account, CallSid: sid, RecordingSid: rec, RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${account}/Recordings/${rec}`, RecordingStatus: s, RecordingDuration: String(d), RecordingChannels: '1', RecordingSource: 'RecordVerb' } });
    const talk = rng.int(20, 300);
    const left = rng.int(5, 100);
    const text = `Replay voicemail ${i}: please call back about the ${rng.pick(['MOT', 'brakes', 'clutch', 'service'])}.`;
    const rest: Callback[] = [status(0, 'initiated'), status(1, 'ringing')];
    let expect: PlannedCall['expect'];
    if (kind === 'answered') {
      rest.push(status(2, 'in-progress'), { path: '/twilio/voice/dial', params: { ...base, CallStatus: 'in-progress', DialCallStatus: 'completed', DialCallDuration: String(talk) } }, status(3, 'completed', { CallDuration: String(talk + 5) }));
      expect = { outcome: 'answered', durationSeconds: talk, transcript: null, preview: `Voice call - ${talk}s - ended` };
    } else if (kind === 'voicemail') {
      rest.push({ path: '/twilio/voice/dial', params: { ...base, CallStatus: 'in-progress', DialCallStatus: 'no-answer', DialCallDuration: '0' } }, status(2, 'in-progress'), recording('completed', left), status(3, 'completed', { CallDuration: String(left + 25) }),
        { path: '/twilio/voice/transcription', params: { ...base, CallStatus: 'completed', TranscriptionSid: `TR${hex(rng, 32)}`, TranscriptionText: text, TranscriptionStatus: 'completed', TranscriptionType: 'fast', RecordingSid: rec } });
      expect = { outcome: 'voicemail', durationSeconds: left, transcript: text, preview: `Voicemail - ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` };
    } else if (kind === 'absent') {
      rest.push({ path: '/twilio/voice/dial', params: { ...base, CallStatus: 'in-progress', DialCallStatus: 'busy', DialCallDuration: '0' } }, recording('absent', 0), status(2, 'completed', { CallDuration: '12' }));
      expect = { outcome: 'missed', durationSeconds: 0, transcript: null, preview: 'Missed call' };
    } else if (kind === 'escalated') {
      const escalationNumber = '+447700900999';
      rest.push({ path: '/twilio/voice/dial', params: { ...base, CallStatus: 'in-progress', DialCallStatus: 'no-answer', DialCallDuration: '0' } },
        { path: '/twilio/voice/leg?leg=escalation', params: { AccountSid: account, ApiVersion: '2010-04-01', CallSid: `CA${hex(rng, 32)}`, ParentCallSid: sid, From: from, To: escalationNumber, Direction: 'outbound-dial', CallStatus: 'in-progress' } },
        status(2, 'in-progress'),
        { path: '/twilio/voice/escalation', params: { ...base, CallStatus: 'in-progress', DialCallStatus: 'completed', DialCallDuration: String(talk) } },
        status(3, 'completed', { CallDuration: String(talk + 25) }));
      expect = { outcome: 'escalation', durationSeconds: talk, transcript: null, preview: 'Escalated call' };
    } else {
      rest.push({ path: '/twilio/voice/dial', params: { ...base, CallStatus: 'in-progress', DialCallStatus: 'no-answer', DialCallDuration: '0' } }, status(2, 'canceled'));
      expect = { outcome: 'missed', durationSeconds: 0, transcript: null, preview: 'Missed call' };
    }
    // Out of order, and about a third delivered twice (connection-override retries).
    const shuffled = rng.shuffle(rest);
    calls.push({ sid, kind, from, known: known?.conversationId ?? null, first: { path: '/twilio/voice', params: { ...base, CallStatus: 'ringing' } }, rest: [...shuffled, ...shuffled.filter(() => rng.chance(0.35))], expect });
  }
  return calls;
}

async function post(o: VoiceDayOptions, cb: Callback): Promise<number> {
  const url = o.secrets.publicBaseUrl.replace(/\/+$/, '') + cb.path;
  const signature = twilioWebhooks.getExpectedTwilioSignature(o.secrets.twilioAuthToken, url, cb.params);
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(o.baseUrl + cb.path, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'i-twilio-idempotency-token': randomBytes(8).toString('hex') },
      body: new URLSearchParams(cb.params).toString(),
    });
    await res.arrayBuffer();
    if (res.status < 500 || attempt >= 4) return res.status;
  }
}

async function api<T>(o: VoiceDayOptions, path: string): Promise<T> {
  const res = await fetch(o.baseUrl + path, { headers: { authorization: `Bearer ${o.apiToken}`, accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

function check(name: string, checked: number, failures: string[]): Check {
  return { name, passed: failures.length === 0, checked, failures };
}

/** Replay the calls and check them. */
export async function replayCalls(o: VoiceDayOptions): Promise<VoiceDayResult> {
  const rng = createRng(`${o.seed}:voice:${o.runId}`);
  const list = await api<{ conversations: Array<{ id: string; customer: { phone: string | null } | null }> }>(o, '/v1/conversations?range=all_time&limit=200');
  const customers = list.conversations.flatMap((c) => (c.customer?.phone ? [{ phone: c.customer.phone, conversationId: c.id }] : [])).slice(0, 10);
  const calls = planCalls(rng, o, customers);
  let requests = 0;
  const failures: string[] = [];
  const queue = [...calls];
  await Promise.all(Array.from({ length: o.concurrency }, async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const first = await post(o, c.first);
      requests++;
      if (first !== 200) failures.push(`${c.sid} incoming call: HTTP ${first}`);
      const answers = await Promise.all(c.rest.map((cb) => post(o, cb)));
      requests += answers.length;
      answers.forEach((s, i) => { if (s >= 300) failures.push(`${c.sid} ${c.rest[i]!.path}: HTTP ${s}`); });
    }
  }));
  o.log?.(`voice: ${calls.length} calls, ${requests} callbacks`);

  type Found = { id: string; conversationId: string; outcome: string | null; durationSeconds: number | null; transcript: { text: string } | null; caller: { withheld: boolean } };
  const found = new Map<string, Found[]>();
  for (const c of calls) found.set(c.sid, (await api<{ calls: Found[] }>(o, `/v1/calls?callSid=${c.sid}`)).calls);
  const stored = calls.flatMap((c) => (found.get(c.sid)!.length === 1 ? [] : [`${c.sid}: stored ${found.get(c.sid)!.length} times`]));
  const outcomes = calls.flatMap((c) => {
    const f = found.get(c.sid)![0];
    if (!f) return [];
    const bad = [f.outcome !== c.expect.outcome && `outcome ${f.outcome} ≠ ${c.expect.outcome}`, f.durationSeconds !== c.expect.durationSeconds && `duration ${f.durationSeconds} ≠ ${c.expect.durationSeconds}`,
      (f.transcript?.text ?? null) !== c.expect.transcript && 'transcript differs'].filter(Boolean);
    return bad.length ? [`${c.sid} (${c.kind}): ${bad.join(', ')}`] : [];
  });
  const byNumber = new Map<string, Set<string>>();
  const withheld = new Set<string>();
  const placement: string[] = [];
  for (const c of calls) {
    const f = found.get(c.sid)![0];
    if (!f) continue;
    if (c.kind === 'withheld') {
      if (withheld.has(f.conversationId) || !f.caller.withheld) placement.push(`${c.sid}: a withheld call shares a conversation or lost its withheld mark`);
      withheld.add(f.conversationId);
    } else if (c.known) {
      if (f.conversationId !== c.known) placement.push(`${c.sid}: not in the known customer's conversation`);
    } else {
      byNumber.set(c.from, new Set([...(byNumber.get(c.from) ?? []), f.conversationId]));
    }
  }
  for (const [n, ids] of byNumber) if (ids.size !== 1) placement.push(`calls from one unknown number ${n.slice(0, 6)}… are in ${ids.size} conversations`);
  const previews: string[] = [];
  for (const c of calls.filter((x) => x.kind === 'withheld' || x.kind === 'escalated')) {
    const f = found.get(c.sid)![0];
    if (!f) continue;
    const row = await api<{ preview: { body: string } | null }>(o, `/v1/conversations/${f.conversationId}`);
    if (row.preview?.body !== c.expect.preview) previews.push(`${c.sid}: preview "${row.preview?.body}" ≠ "${c.expect.preview}"`);
  }
  return {
    calls: calls.length,
    requests,
    checks: [
      check('voice callbacks acknowledged (out of order, duplicated, concurrent)', requests, failures),
      check('calls stored exactly once', calls.length, stored),
      check('call outcome, duration and transcript as the callbacks say', calls.length, outcomes),
      check("calls in the caller's conversation (customer's own, one per unknown number, one per withheld call)", calls.length, placement),
      check('withheld and escalated call previews', calls.filter((x) => x.kind === 'withheld' || x.kind === 'escalated').length, previews),
    ],
  };
}
