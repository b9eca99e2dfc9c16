/**
 * Who is signed in, written into the page by the server
 * (src/web/staff-app.routes.ts) so the first screen needs no extra request;
 * `/v1/me` when absent (e.g. the Vite dev server).
 */
import { fetchMe } from '../api/inbox';
import type { Me } from '../api/types';

export async function loadMe(): Promise<Me> {
  const el = document.getElementById('tf-bootstrap');
  if (el?.textContent) {
    try {
      const data = JSON.parse(el.textContent) as { me?: Me };
      if (data.me) return data.me;
    } catch {
      // fall through to the API
    }
  }
  return fetchMe();
}
