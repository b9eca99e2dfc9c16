/**
 * The portal's server-rendered pages: small, accessible HTML with every
 * value escaped.
 */
import type { MessageView } from '../api/conversations/conversation.presenter.js';
import { esc, page } from '../pages/html.js';

export function linkProblemPage(kind: 'expired' | 'unknown', code: string | null, orgName: string | null): string {
  if (kind === 'expired' && code) {
    return page('This link has expired', `<h1>This link has expired</h1><div class="card">
<p>Links to your messages${orgName ? ` with ${esc(orgName)}` : ''} last 7 days. We can text you a fresh one to the number we have on file.</p>
<form method="post" action="/l/${esc(code)}/renew"><button type="submit">Text me a new link</button></form></div>`);
  }
  return page('Link not recognised', `<h1>We couldn't find this link</h1><div class="card">
<p>Check that the link was copied in full. You can also reply to the garage's last text or WhatsApp message and they will send you a fresh link.</p></div>`);
}

export function renewedPage(outcome: 'sent' | 'recently_sent' | 'failed', orgName: string): string {
  const text = outcome === 'sent' ? 'We have texted you a new link. It may take a minute to arrive.'
    : outcome === 'recently_sent' ? 'We sent you a new link a few minutes ago: please use the newest text.'
    : `We couldn't text you a new link. Please contact ${esc(orgName)} directly.`;
  return page('New link', `<h1>${outcome === 'failed' ? 'Sorry' : 'Check your messages'}</h1><div class="card"><p>${text}</p></div>`);
}

export function signedOutPage(): string {
  return page('Please use your link', '<h1>Please open the link from your latest text</h1><div class="card"><p>Your portal session has ended or belongs to another conversation.</p></div>');
}

export function conversationPage(orgName: string, messages: MessageView[]): string {
  const items = messages.map((m) => `<div class="msg ${m.direction === 'inbound' ? 'in' : 'out'}"><div>${esc(m.body || '(attachment)')}</div>
<div class="meta">${m.direction === 'inbound' ? 'You' : esc(orgName)} · ${esc(m.channel)} · <time datetime="${m.occurredAt}">${esc(new Date(m.occurredAt).toUTCString())}</time></div></div>`).join('');
  return page(`Messages with ${orgName}`, `<h1>Your messages with ${esc(orgName)}</h1><div class="card" role="log" aria-label="Conversation">${items || '<p>No messages yet.</p>'}</div>`);
}
