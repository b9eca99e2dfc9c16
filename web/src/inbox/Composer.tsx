/**
 * The reply composer: channel picker (default: the customer's last
 * channel), free-form text while the WhatsApp window is open, the template
 * picker when it has expired (text input disabled), quick messages, the SMS
 * segment counter, the portal-activity banner, and what happened after Send
 * (pending_approval for gated users, a bridge SMS, a refusal).
 */
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

type Props = {
  thread: Thread;
  capabilities: ReadonlySet<string>;
  quickMessages: QuickMessage[];
  onSent(messages: Message[]): void;
};

type Notice = { tone: 'info' | 'error'; text: string } | null;

export function Composer({ thread, capabilities, quickMessages, onSent }: Props) {
  const { reply, conversation } = thread;
  const channels = reply.channels.length ? reply.channels : (['sms'] as SendChannel[]);
  const [channel, setChannel] = useState<SendChannel>(reply.defaultChannel && channels.includes(reply.defaultChannel) ? reply.defaultChannel : channels[0]!);
  const [text, setText] = useState('');
  const [templateName, setTemplateName] = useState('');
  const [params, setParams] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const customerId = conversation.customer?.id ?? null;
  const [proceeded, setProceeded] = useState(() => (customerId ? remembered.proceeded(customerId) : false));

  const canSend = capabilities.has('messages.send');
  const gated = !canSend && capabilities.has('messages.send_gated');
  const templateMode = channel === 'whatsapp' && !reply.whatsappFreeForm;
  const template = reply.templates.find((t) => t.name === templateName) ?? null;
  const sms = useSmsCount(text, channel === 'sms');
  const banner = channel === 'portal' && conversation.customer ? portalBanner(conversation.customer.portalLastLoginAt ?? null, new Date()) : { kind: 'none' as const };
  const bannerBlocks = banner.kind !== 'none' && !proceeded;

  if (!canSend && !gated) {
    return <div className="composer composer-readonly"><p className="muted">Your role can read conversations but not reply.</p></div>;
  }

  const ready = templateMode
    ? Boolean(template && template.placeholders.every((p) => params[p]?.trim()))
    : Boolean(text.trim());

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!ready || sending || bannerBlocks) return;
    setSending(true);
    setNotice(null);
    try {
      const result = await sendMessage(conversation.id, templateMode && template
        ? { channel, template: { name: template.name, language: template.language, params } }
        : { channel, body: text });
      if (result.outcome === 'suppressed') {
        setNotice({ tone: 'info', text: 'Nothing was sent.' });
      } else {
        onSent([result.message, ...(result.bridge ? [result.bridge] : [])]);
        setText('');
        setParams({});
        setTemplateName('');
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
        <label className="inline-field">
          <span>Send via</span>
          <select value={channel} onChange={(e) => { setChannel(e.target.value as SendChannel); setNotice(null); }}>
            {channels.map((c) => <option key={c} value={c}>{CHANNEL_NAMES[c]}</option>)}
          </select>
        </label>
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
        {templateMode ? <span className="window-note">WhatsApp window expired: templates only</span> : null}
      </div>
      {templateMode ? (
        <TemplatePicker templates={reply.templates} selected={templateName} params={params}
          onSelect={(name) => {
            setTemplateName(name);
            // The customer's first name is the usual {customer_name}: fill it in, still editable.
            const first = conversation.customer?.name.split(/\s+/)[0];
            const t = reply.templates.find((x) => x.name === name);
            setParams(first && t?.placeholders.includes('customer_name') ? { customer_name: first } : {});
          }}
          onParam={(name, value) => setParams((p) => ({ ...p, [name]: value }))} />
      ) : null}
      <div className="composer-row">
        <textarea aria-label="Message" rows={templateMode ? 1 : 3} value={templateMode ? '' : text} disabled={templateMode}
          placeholder={templateMode ? 'Free-form messages are not allowed outside the 24-hour window' : `Reply by ${CHANNEL_NAMES[channel]}…`}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(); }} />
        <button type="submit" className="btn btn-primary" disabled={!ready || sending || bannerBlocks}>
          {sending ? 'Sending…' : gated ? 'Send for approval' : 'Send'}
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
