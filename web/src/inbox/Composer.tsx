/**
 * The reply composer: channel picker (default: the customer's last
 * channel), free-form text while the WhatsApp window is open, the template
 * picker when it has expired (text input disabled), quick messages, the SMS
 * segment counter, the portal-activity banner, and what happened after Send
 * (pending_approval for gated users, a bridge SMS, a refusal).
 */
import { closedWindowText } from './WindowIndicator';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { sendMessage } from '../api/inbox';
import type { Message, QuickMessage, SendChannel, Thread } from '../api/types';
import { portalBanner } from '../lib/portal-banner';
import { useSmsCount } from '../lib/sms';
import { remembered } from '../lib/storage';
import { CHANNEL_NAMES } from './ChannelIcon';
import { PortalBanner } from './PortalBanner';
import { TemplatePicker } from './TemplatePicker';
import { AttachedPhotos, AttachPhotosButton, usePhotoAttachments } from '../media/PhotoAttachments';
import { BridgeSmsAction } from '../settings/BridgeSmsAction';

type Props = {
  thread: Thread;
  capabilities: ReadonlySet<string>;
  quickMessages: QuickMessage[];
  onSent(messages: Message[]): void;
};

type Notice = { tone: 'info' | 'error'; text: string } | null;

export function Composer({ thread, capabilities, quickMessages, onSent }: Props) {
  const { reply, conversation } = thread;
  // A voice-only thread offers Reply by SMS, never a free-form composer on the voice channel (spec: messaging-inbox.txt).
  const voiceOnly = conversation.lastChannel === 'voice' && thread.messages.every((m) => m.channel === 'voice' || m.direction === 'internal');
  const channels = voiceOnly ? (['sms'] as SendChannel[]) : reply.channels.length ? reply.channels : (['sms'] as SendChannel[]);
  const disabled = new Map((reply.disabledChannels ?? []).map((d) => [d.channel, d.reason]));
  const sendable = channels.filter((c) => !disabled.has(c));
  const [channel, setChannel] = useState<SendChannel>(reply.defaultChannel && sendable.includes(reply.defaultChannel) ? reply.defaultChannel : sendable[0] ?? channels[0]!);
  const [text, setText] = useState('');
  const [templateName, setTemplateName] = useState('');
  const [params, setParams] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const customerId = conversation.customer?.id ?? null;
  const [proceeded, setProceeded] = useState(() => (customerId ? remembered.proceeded(customerId) : false));
  const photos = usePhotoAttachments(conversation.id);

  const canSend = capabilities.has('messages.send');
  const gated = !canSend && capabilities.has('messages.send_gated');
  // One source for the window: the conversation's state, as the header pill shows it.
  const templateMode = channel === 'whatsapp' && conversation.whatsappWindow.state !== 'open';
  const photosAllowed = !templateMode && channel !== 'email';
  const template = reply.templates.find((t) => t.name === templateName) ?? null;
  const sms = useSmsCount(text, channel === 'sms');
  const banner = channel === 'portal' && conversation.customer ? portalBanner(conversation.customer.portalLastLoginAt ?? null, new Date()) : { kind: 'none' as const };
  const bannerBlocks = banner.kind !== 'none' && !proceeded;

  if (!canSend && !gated) {
    return <div className="composer composer-readonly"><p className="muted">Your role can read conversations but not reply.</p></div>;
  }
  if (voiceOnly && !reply.channels.includes('sms')) {
    return <div className="composer composer-readonly"><p className="muted">The caller's number is withheld: there is no way to reply.</p></div>;
  }

  const ready = templateMode
    ? Boolean(template && template.placeholders.every((p) => params[p]?.trim()))
    : Boolean(text.trim() || (photosAllowed && photos.items.length)) && photos.uploading === 0;

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!ready || sending || bannerBlocks) return;
    setSending(true);
    setNotice(null);
    try {
      const result = await sendMessage(conversation.id, templateMode && template
        ? { channel, template: { name: template.name, language: template.language, params } }
        : { channel, body: text, ...(photosAllowed && photos.items.length ? { mediaIds: photos.items.map((p) => p.mediaId!) } : {}) });
      if (result.outcome === 'suppressed') {
        setNotice({ tone: 'info', text: 'Nothing was sent.' });
      } else {
        onSent([result.message, ...(result.bridge ? [result.bridge] : [])]);
        setText('');
        setParams({});
        setTemplateName('');
        photos.clear();
        if (result.outcome === 'pending_approval') setNotice({ tone: 'info', text: 'Your reply is waiting in the Approval Queue: it is sent once an approver approves it.' });
        else if (result.outcome === 'bridged') setNotice({ tone: 'info', text: 'The WhatsApp window had closed, so a bridge SMS with a WhatsApp and portal link was sent instead.' });
        else if (result.outcome === 'failed') setNotice({ tone: 'error', text: `Not sent: ${result.message.failureReason ?? 'the message failed'}.` });
      }
    } catch (err) {
      setNotice({ tone: 'error', text: err instanceof ApiError ? err.message : 'Could not send. Check your connection and try again.' });
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="composer" onSubmit={submit} aria-label="Reply">
      {banner.kind !== 'none' && !proceeded ? (
        <PortalBanner banner={banner} canSeeContact={capabilities.has('customers.contact.view')}
          phone={conversation.customer?.phone ?? null} email={conversation.customer?.email ?? null}
          onProceed={() => {
            if (customerId) remembered.proceed(customerId);
            setProceeded(true);
          }} />
      ) : null}
      {notice ? <p className={`composer-notice ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>{notice.text}</p> : null}
      <div className="composer-tools">
        {voiceOnly ? <span className="composer-mode">Reply by SMS</span> : (
          <label className="inline-field">
            <span>Send via</span>
            <select value={channel} onChange={(e) => { setChannel(e.target.value as SendChannel); setNotice(null); }}>
              {channels.map((c) => <option key={c} value={c} disabled={disabled.has(c)}>{CHANNEL_NAMES[c]}{disabled.has(c) ? ' (not allowed)' : ''}</option>)}
            </select>
          </label>
        )}
        {[...disabled].map(([c, reason]) => <p key={c} className="composer-notice info channel-disabled" data-channel={c}>{CHANNEL_NAMES[c]} is off: {reason}</p>)}
        {!templateMode && quickMessages.length ? (
          <label className="inline-field">
            <span>Quick messages</span>
            <select value="" onChange={(e) => {
              const q = quickMessages.find((m) => m.id === e.target.value);
              if (q) setText((t) => (t.trim() ? `${t.trimEnd()} ${q.body}` : q.body));
            }}>
              <option value="">Insert…</option>
              {quickMessages.map((q) => <option key={q.id} value={q.id}>{q.title}</option>)}
            </select>
          </label>
        ) : null}
        {templateMode ? <span className="window-note">{closedWindowText(conversation.whatsappWindow.state)}: templates only</span> : null}
        {photosAllowed ? <AttachPhotosButton photos={photos} disabled={sending} /> : null}
      </div>
      {templateMode ? (
        <TemplatePicker templates={reply.templates} selected={templateName} params={params} canManage={capabilities.has('messages.tier.manage')}
          onSelect={(name) => {
            setTemplateName(name);
            // The customer's first name is the usual {customer_name}: fill it in, still editable.
            const first = conversation.customer?.name.split(/\s+/)[0];
            const t = reply.templates.find((x) => x.name === name);
            setParams(first && t?.placeholders.includes('customer_name') ? { customer_name: first } : {});
          }}
          onParam={(name, value) => setParams((p) => ({ ...p, [name]: value }))} />
      ) : null}
      {photosAllowed ? <AttachedPhotos photos={photos} /> : null}
      {templateMode && canSend ? <BridgeSmsAction conversationId={conversation.id} onSent={(bridge) => onSent([bridge])} /> : null}
      <div className="composer-row">
        <textarea aria-label="Message" rows={templateMode ? 1 : 3} value={templateMode ? '' : text} disabled={templateMode}
          placeholder={templateMode ? 'Free-form messages are not allowed outside the 24-hour window' : `Reply by ${CHANNEL_NAMES[channel]}…`}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(); }} />
        <button type="submit" className="btn btn-primary" disabled={!ready || sending || bannerBlocks}>
          {sending ? 'Sending…' : gated ? 'Send for approval' : voiceOnly ? 'Send SMS' : 'Send'}
        </button>
      </div>
      <div className="composer-foot">
        {sms ? (
          <p className="sms-counter" aria-live="polite" data-testid="sms-counter">
            {sms.characters} characters · {sms.segments} {sms.segments === 1 ? 'segment' : 'segments'} · {sms.encoding === 'GSM-7' ? 'GSM-7' : 'Unicode'}
          </p>
        ) : <span />}
        {gated ? <p className="muted">Your replies go to the Approval Queue before they are sent.</p> : null}
      </div>
    </form>
  );
}
