/**
 * Durable download of a call recording into the media store (issue 14 item
 * 4), exactly once per RecordingSid: a pg-boss job queued in the
 * transaction that accepted the `completed` recording status callback (so
 * it exists iff that commit happened), retried with backoff. The bytes are
 * put in the media store (src/media/store.ts, local folder or S3) under
 * `org/{orgId}/recordings/{RecordingSid}` and recorded once, with the call
 * locked (`recording-store.ts`: a `media_objects` row and the
 * `call_recordings` metadata row); a re-run finds it recorded and downloads
 * nothing.
 *
 * The download uses the garage's own Twilio credentials (HTTP Basic, account
 * sid + auth token: Twilio may enforce media auth) and asks for `.wav`
 * (encrypted recordings cannot be fetched as `.mp3`, Twilio error 16109).
 * Only the path of Twilio's `RecordingUrl` is used, on TWILIO_API_BASE_URL,
 * so a forged callback cannot make us fetch another host.
 *
 * With `OUTBOUND_PROVIDERS=sandbox` (the demo) nothing is fetched.
 *
 * After storing, the voicemail goes to the speech-to-text driver, when one
 * is configured, if Twilio's transcription does not cover it (2 s or
 * shorter, 120 s or longer: Twilio error 13617) or Twilio reported its
 * transcription `failed` (the transcription callback queues this same job
 * again, which then finds the audio stored); the transcript is stored once
 * (event `stt:{RecordingSid}`).
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';
import { needsSpeechToText } from '../domain/call-state.js';
import { lockCall, recordCallEvent, refreshCall } from '../ingest/record-call.js';
import { readAll, type MediaStore } from '../media/store.js';
import { speechToTextFor } from './speech-to-text.js';
import { isRecordingStored, readRecording, recordingKey, recordStoredRecording } from './recording-store.js';
import { secretBoxFor } from '../channels/credentials/secret-box.js';

export const RECORDING_DOWNLOAD = 'voice.recording-download';

export type RecordingDownloadJob = { orgId: string; callId: string; recordingSid: string; recordingUrl: string; durationSeconds: number };

const RECORDING_PATH = /^\/2010-04-01\/Accounts\/(AC\w{32})\/Recordings\/(RE[0-9a-fA-F]{32})$/;

export function voiceQueues(config: Config) {
  return { [RECORDING_DOWNLOAD]: { retryLimit: 8, retryDelay: 5, retryBackoff: true, retryDelayMax: 600, expireInSeconds: Math.max(60, Math.ceil((config.PROVIDER_TIMEOUT_MS * 3) / 1000) + 130), notify: true } };
}

/** Queue the download inside the transaction that accepted the recording callback. */
export async function enqueueRecordingDownload(queue: JobQueue, trx: TenantTx, job: RecordingDownloadJob): Promise<void> {
  await queue.enqueue(trx, RECORDING_DOWNLOAD, job, { singletonKey: `${job.orgId}:${job.recordingSid}` });
}

/**
 * The recording's download URL on our configured Twilio base.
 * @throws Error when `recordingUrl` is not a Twilio recording URL of that sid
 */
export function recordingDownloadUrl(baseUrl: string, recordingUrl: string, recordingSid: string): { url: string; accountSid: string } {
  const path = new URL(recordingUrl).pathname.replace(/\.(mp3|wav)$/, '');
  const m = RECORDING_PATH.exec(path);
  if (!m || m[2] !== recordingSid) throw new Error('RecordingUrl is not a Twilio recording URL for this recording');
  return { url: `${baseUrl.replace(/\/+$/, '')}${path}.wav`, accountSid: m[1]! };
}

export type VoiceJobDeps = { db: Kysely<Database>; config: Config; store: MediaStore };

/** Run one download job; throws (for a retry) when Twilio is unreachable or answers an error. */
export async function downloadRecording(deps: VoiceJobDeps, job: RecordingDownloadJob): Promise<void> {
  const { db, config } = deps;
  const { url, accountSid } = recordingDownloadUrl(config.TWILIO_API_BASE_URL, job.recordingUrl, job.recordingSid);
  // The sandbox (demo) calls no provider: the recording stays on Twilio's side.
  if (config.OUTBOUND_PROVIDERS === 'sandbox') return;
  const prepared = await withTenant(db, job.orgId, async (trx) => {
    const stored = await isRecordingStored(trx, job.orgId, job.recordingSid);
    const identity = await trx.selectFrom('channel_identities').select(['account_sid', 'auth_token'])
      .where('org_id', '=', job.orgId).where('provider', '=', 'twilio').where('auth_token', 'is not', null)
      .orderBy((eb) => eb('account_sid', '=', accountSid), 'desc').executeTakeFirst();
    return { stored, identity };
  });
  let audio: { bytes: Buffer; contentType: string } | null = null;
  if (!prepared.stored) {
    if (!prepared.identity?.auth_token) throw new Error('no Twilio credentials for this organisation');
    const username = prepared.identity.account_sid ?? accountSid;
    const res = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from(`${username}:${secretBoxFor(config).open(prepared.identity.auth_token)}`).toString('base64')}` },
      redirect: 'follow', signal: AbortSignal.timeout(config.PROVIDER_TIMEOUT_MS * 3),
    });
    if (!res.ok) throw new Error(`Twilio recording download answered HTTP ${res.status}`);
    audio = { bytes: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')?.split(';')[0]?.trim() || 'audio/wav' };
    await deps.store.put(recordingKey(job.orgId, job.recordingSid), audio.bytes, audio.contentType);
    await withTenant(db, job.orgId, async (trx) => {
      const call = await lockCall(trx, job.orgId, { callId: job.callId });
      if (!call) return;
      const entry = await trx.selectFrom('messages').select('conversation_id').where('org_id', '=', job.orgId).where('id', '=', call.message_id).executeTakeFirstOrThrow();
      await recordStoredRecording(trx, { orgId: job.orgId, callId: call.id, conversationId: entry.conversation_id, recordingSid: job.recordingSid, contentType: audio!.contentType, size: audio!.bytes.length });
      await refreshCall(trx, job.orgId, call);
    });
  }
  await transcribeIfNeeded(deps, job, audio);
}

async function transcribeIfNeeded(deps: VoiceJobDeps, job: RecordingDownloadJob, audio: { bytes: Buffer; contentType: string } | null): Promise<void> {
  const stt = speechToTextFor(deps.config);
  if (!stt) return;
  const key = `stt:${job.recordingSid}`;
  const needed = await withTenant(deps.db, job.orgId, async (trx) => {
    const events = await trx.selectFrom('call_events').select(['event_key', 'kind', 'details']).where('org_id', '=', job.orgId).where('call_id', '=', job.callId)
      .where((eb) => eb.or([eb('event_key', '=', key), eb('kind', '=', 'transcription')])).execute();
    if (events.some((e) => e.event_key === key)) return false;
    const twilio = events.filter((e) => e.kind === 'transcription').map((e) => e.details.status);
    return needsSpeechToText(job.durationSeconds, twilio.includes('completed') ? 'completed' : twilio.includes('failed') ? 'failed' : null);
  });
  if (!needed) return;
  const pending = audio ?? await readRecording(deps.db, deps.store, job.orgId, { recordingSid: job.recordingSid })
    .then(async (o) => (o ? { bytes: await readAll(o.body), contentType: o.contentType } : null));
  if (!pending) return;
  const text = await stt.transcribe(pending.bytes, pending.contentType);
  await withTenant(deps.db, job.orgId, async (trx) => {
    const call = await lockCall(trx, job.orgId, { callId: job.callId });
    if (!call) return;
    await recordCallEvent(trx, job.orgId, call, { key, kind: 'speech_to_text', sequence: null, callStatus: null, details: { text }, occurredAt: new Date() });
  });
}

/** Register the voice worker (one download at a time per instance). */
export async function startVoiceWorkers(deps: VoiceJobDeps & { queue: JobQueue }): Promise<void> {
  const { boss, pollingIntervalSeconds } = deps.queue;
  await boss.work<RecordingDownloadJob>(RECORDING_DOWNLOAD, { batchSize: 1, pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds }, async ([job]) => {
    if (job) await downloadRecording(deps, job.data);
  });
}
