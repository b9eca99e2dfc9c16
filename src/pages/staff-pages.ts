/** Server-rendered staff pages: sign-in, password reset, and the placeholders the staff app will replace. */
import { esc, page } from './html.js';

const ERRORS: Record<string, string> = {
  invalid_credentials: 'Email or password is not right.',
  too_many_attempts: 'Too many failed attempts. Wait a little and try again, or reset your password.',
  organisation_required: 'This email works at several garages: enter the garage you want to sign in to.',
  cross_origin_request: 'Sign in from this page.',
  validation_failed: 'Enter your email and password.',
  invalid_reset_token: 'This reset link is invalid or has expired: ask for a new one.',
};

function alert(error: string | undefined, notice: string | null): string {
  if (error) return `<p class="error" role="alert">${esc(ERRORS[error] ?? 'Something went wrong. Try again.')}</p>`;
  return notice ? `<p class="notice" role="status">${esc(notice)}</p>` : '';
}

export function signInPage(q: { error?: string; next?: string; reset?: string; signed_out?: string }): string {
  const notice = q.reset ? 'Your password has been changed: sign in with the new one.' : q.signed_out ? 'You have signed out.' : null;
  return page('Sign in · Torqueflow', `<h1>Sign in to Torqueflow</h1><div class="card">${alert(q.error, notice)}
<form method="post" action="/auth/sign-in">
<input type="hidden" name="next" value="${esc(q.next ?? '/messages')}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
${q.error === 'organisation_required' ? '<label for="organisation">Garage (its short name, e.g. acme-motors)</label><input id="organisation" name="organisation" required>' : ''}
<button type="submit">Sign in</button></form>
<p><a href="/forgot-password">Forgot your password?</a></p></div>`);
}

export function forgotPasswordPage(sent: boolean): string {
  return page('Reset your password · Torqueflow', `<h1>Reset your password</h1><div class="card">${alert(undefined, sent ? 'If that email has an account, a reset link is on its way. It works for one hour.' : null)}
<form method="post" action="/auth/password-reset"><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
<button type="submit">Email me a reset link</button></form><p><a href="/login">Back to sign in</a></p></div>`);
}

export function resetPasswordPage(token: string, error?: string): string {
  return page('Choose a new password · Torqueflow', `<h1>Choose a new password</h1><div class="card">${alert(error, null)}
<form method="post" action="/auth/password-reset/confirm"><input type="hidden" name="token" value="${esc(token)}">
<label for="password">New password (at least 10 characters)</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required>
<button type="submit">Save password</button></form></div>`);
}

/**
 * A signed-in page with nothing of its own yet (the dashboard). `links`:
 * where the user can go from here (never a dead end); when there is nowhere,
 * a sentence saying why.
 */
export function placeholderPage(title: string, subtitle: string, user: { name: string; role: string | null }, links: Array<{ href: string; label: string }> = []): string {
  const nav = links.length
    ? `<nav aria-label="Sections"><ul>${links.map((l) => `<li><a href="${esc(l.href)}">${esc(l.label)}</a></li>`).join('')}</ul></nav>`
    : '<p>Your role has no access to Messages, Customers or Work orders yet: ask an owner to change it.</p>';
  return page(`${title} · Torqueflow`, `<header><h1>${esc(title)}</h1><p>${esc(subtitle)}</p>
<p class="meta">Signed in as ${esc(user.name)}${user.role ? ` (${esc(user.role)})` : ''}</p>${nav}
<form method="post" action="/auth/sign-out"><button type="submit">Sign out</button></form></header>`);
}
