/** The HTML shell of server-rendered pages (portal and staff), with escaping. */

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1.5rem;color:#1f2933;background:#f7f7f8}
h1{font-size:1.4rem}.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px #0002}
.msg{margin:.5rem 0;padding:.6rem .8rem;border-radius:12px;max-width:80%}.in{background:#e8f0fe;margin-right:auto}.out{background:#e6f4ea;margin-left:auto}
.meta{font-size:.75rem;color:#52606d}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input{font:inherit;width:100%;box-sizing:border-box;padding:.55rem .7rem;border:1px solid #6b7785;border-radius:8px}
button{font:inherit;margin-top:1rem;padding:.6rem 1rem;border-radius:8px;border:0;background:#1a56db;color:#fff;cursor:pointer}
button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #1a56db;outline-offset:2px}
.error{background:#fde8e8;color:#9b1c1c;padding:.6rem .8rem;border-radius:8px}.notice{background:#e6f4ea;color:#03543f;padding:.6rem .8rem;border-radius:8px}`;

/** A complete page; `body` must already be escaped. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="/favicon.svg"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}
