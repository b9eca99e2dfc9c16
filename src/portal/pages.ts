/**
 * The magic link's server-rendered pages: small, accessible HTML with every
 * value escaped. A link that does not work — unknown, expired or revoked —
 * gets one and the same page, so a guesser learns nothing (issue 10 item 6).
 */
import { esc, page } from '../pages/html.js';

/** The one-tap page a GET of a valid link shows: only the POST signs in (link scanners only GET or HEAD). */
export function continuePage(code: string, orgName: string): string {
  return page(`Your messages with ${orgName}`, `<h1>Your messages with ${esc(orgName)}</h1><div class="card">
<p>Tap Continue to open your conversation with ${esc(orgName)}.</p>
<form method="post" action="/l/${esc(code)}"><button type="submit">Continue</button></form></div>`);
}

/** The page of a link that does not work, whatever the reason. */
export function linkProblemPage(code: string | null): string {
  const renew = code ? `<p>Links last 7 days. If this link came from us, we can text you a fresh one to the number we have on file.</p>
<form method="post" action="/l/${esc(code)}/renew"><button type="submit">Text me a new link</button></form>` : '';
  return page('This link does not work', `<h1>This link does not work</h1><div class="card">
<p>It may have expired, or it was not copied in full. You can also reply to the garage's last text or WhatsApp message and they will send you a fresh link.</p>${renew}</div>`);
}

export function tooManyAttemptsPage(): string {
  return page('Please wait a few minutes', '<h1>Please wait a few minutes</h1><div class="card"><p>There have been too many attempts to open links from here. Try your link again in a few minutes.</p></div>');
}

/** The answer to "text me a new link": the same whether or not the link was one of ours. */
export function renewedPage(): string {
  return page('New link', `<h1>Check your messages</h1><div class="card"><p>If this link came from us, we have texted a new link to the number we have on file. It may take a minute to arrive; if you asked a few minutes ago, please use the newest text.</p></div>`);
}

export function signedOutPage(): string {
  return page('Please use your link', '<h1>Please open the link from your latest text</h1><div class="card"><p>Your portal session has ended. Open the link in the latest text or email from your garage to see your messages.</p></div>');
}
