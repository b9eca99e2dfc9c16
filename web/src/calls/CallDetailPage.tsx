/**
 * The call detail page, `/calls/{id}` (route in web/src/routes.tsx) (issue 14 item 5): the
 * timeline of call events, who answered, the recording player, the full
 * transcript, and the Reassign and Mark resolved actions (calls.manage).
 * Reloads live on `call.updated` / `call.moved` events.
 */
import { useCallback, useEffect, useState } from 'react';
import { fetchCall, resolveCall } from '../api/calls';
import type { CallView } from '../api/types';
import { useInboxEvents } from '../hooks/useEventStream';
import { useNavigate, useParams } from 'react-router';
import { useSession } from '../shell/me-context';
import { duration, messageTime } from '../lib/time';
import { CALL_OUTCOMES } from '../inbox/CallCard';
import { ChevronLeftIcon, PhoneCallIcon } from '../shell/icons';
import { ReassignDialog } from './ReassignDialog';

export function CallDetailPage() {
  const callId = useParams().id ?? '';
  const { capabilities } = useSession();
  const navigate = useNavigate();
  const [call, setCall] = useState<CallView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reassigning, setReassigning] = useState(false);
  const canManage = capabilities.has('calls.manage');

  const load = useCallback(async () => {
    try {
      setCall(await fetchCall(callId));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not load the call.');
    }
  }, [callId]);
  useEffect(() => { void load(); }, [load]);
  useInboxEvents((event) => {
    if (event.type === 'resync') return void load();
    if ((event.type === 'call.updated' || event.type === 'call.moved') && call && event.conversationId === call.conversationId) void load();
  }, () => void load());

  const back = () => void navigate(call ? `/messages?conversation=${call.conversationId}` : '/messages');
  const resolve = async () => {
    setBusy(true);
    try {
      await resolveCall(callId);
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not mark it resolved.');
    } finally {
      setBusy(false);
    }
  };

  if (!call) return <section className="call-page">{error ? <p className="error-box" role="alert">{error}</p> : <p className="muted">Loading call…</p>}</section>;
  const outcome = call.outcome ? CALL_OUTCOMES[call.outcome] ?? call.outcome : call.status === 'in-progress' ? 'In progress' : 'Ringing';
  return (
    <section className="call-page" aria-labelledby="call-heading" data-call-id={call.id}>
      <header className="call-page-header">
        <button type="button" className="icon-button back" onClick={back} aria-label="Back to the conversation"><ChevronLeftIcon /></button>
        <span className="call-icon"><PhoneCallIcon size={20} /></span>
        <div>
          <h2 id="call-heading">{call.direction === 'inbound' ? 'Call from' : 'Call to'} {call.caller.displayName}</h2>
          <p className="meta">
            <span className={`call-outcome outcome-${call.outcome ?? call.status}`}>{outcome}</span>
            {call.durationSeconds != null ? <span>Duration {duration(call.durationSeconds)}</span> : null}
            <time dateTime={call.startedAt}>{messageTime(call.startedAt)}</time>
            {call.caller.phone && call.caller.phone !== call.caller.displayName ? <span>{call.caller.phone}</span> : call.caller.withheld ? <span>Withheld number</span> : null}
          </p>
        </div>
        <div className="call-actions">
          {canManage ? <button type="button" className="btn" onClick={() => setReassigning(true)}>Reassign</button> : null}
          {canManage && call.awaitingResolution ? <button type="button" className="btn btn-primary" onClick={resolve} disabled={busy}>Mark resolved</button> : null}
          {call.resolvedAt ? <span className="call-resolved">Resolved{call.resolvedBy ? ` by ${call.resolvedBy}` : ''}</span> : null}
        </div>
      </header>
      {error ? <p className="error-box" role="alert">{error}</p> : null}
      <div className="call-page-body">
        <section aria-labelledby="call-who">
          <h3 id="call-who">Who answered</h3>
          <p>{call.answeredBy ?? (call.outcome === 'answered' ? 'Someone at the garage' : 'Nobody')}{call.placedBy ? ` · placed by ${call.placedBy}` : ''}</p>
        </section>
        <section aria-labelledby="call-recording">
          <h3 id="call-recording">Recording</h3>
          {call.recording?.url
            ? <audio className="call-audio" controls preload="metadata" src={call.recording.url} aria-label="Call recording" />
            : <p className="muted">{call.recording ? (call.recording.status === 'absent' ? 'No audio was left.' : 'The recording is being fetched…') : 'No recording.'}</p>}
        </section>
        <section aria-labelledby="call-transcript">
          <h3 id="call-transcript">Transcript</h3>
          {call.transcript
            ? <blockquote className="call-transcript-full">{call.transcript.text}<footer className="muted">{call.transcript.source === 'twilio' ? 'Transcribed by Twilio' : 'Transcribed by speech to text'}</footer></blockquote>
            : <p className="muted">No transcript.</p>}
        </section>
        <section aria-labelledby="call-timeline">
          <h3 id="call-timeline">Timeline</h3>
          <ol className="call-timeline">
            {call.timeline.map((t, i) => <li key={i}><time dateTime={t.at}>{messageTime(t.at)}</time> {t.label}</li>)}
          </ol>
        </section>
      </div>
      <ReassignDialog open={reassigning} call={call} onClose={() => setReassigning(false)} onMoved={() => { setReassigning(false); void load(); }} />
    </section>
  );
}
