/**
 * Links in message text (issue 12 reviewer: "links in messages are not
 * clickable"): split a body into text and link segments. A link starts with
 * `http://`, `https://` or `www.` and runs to the next space; trailing
 * punctuation that usually ends a sentence (`.,;:!?'"`) and an unbalanced
 * closing bracket stay text. `www.` links get `https://`. Pure; React renders
 * the segments, so nothing is ever injected as HTML.
 */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>]+/gi;
const TRAILING = /[.,;:!?'"]+$/;

function trimTrail(url: string): string {
  let u = url;
  for (;;) {
    const before = u;
    u = u.replace(TRAILING, '');
    for (const [open, close] of [['(', ')'], ['[', ']']] as const) {
      if (u.endsWith(close) && u.split(open).length < u.split(close).length) u = u.slice(0, -1);
    }
    if (u === before) return u;
  }
}

/** @returns the segments in order; adjacent text is merged; no links → one text segment (or none for ''). */
export function linkSegments(body: string): TextSegment[] {
  const out: TextSegment[] = [];
  const text = (t: string) => {
    if (!t) return;
    const last = out[out.length - 1];
    if (last?.kind === 'text') last.text += t;
    else out.push({ kind: 'text', text: t });
  };
  let at = 0;
  for (const m of body.matchAll(CANDIDATE)) {
    const url = trimTrail(m[0]);
    if (!/^(https?:\/\/|www\.)[^./]+\.[^\s]+|^https?:\/\/[^\s/]+/i.test(url)) continue;
    text(body.slice(at, m.index));
    out.push({ kind: 'link', text: url, href: /^www\./i.test(url) ? `https://${url}` : url });
    at = m.index! + url.length;
  }
  text(body.slice(at));
  return out;
}
