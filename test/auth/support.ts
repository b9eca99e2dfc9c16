/** Signing staff in over HTTP and calling the API with their session cookie. */
import assert from 'node:assert/strict';
import type { TestServer } from '../support/server.js';
import { STAFF_PASSWORD } from '../support/fixtures.js';

export type Session = { cookie: string };

export async function signInAs(server: TestServer, email: string): Promise<Session> {
  const res = await fetch(`${server.baseUrl}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: STAFF_PASSWORD }) });
  assert.equal(res.status, 200, await res.text());
  const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
  assert.ok(cookie.startsWith('tf_session='));
  return { cookie };
}

export async function call(server: TestServer, session: Session | null, method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(server.baseUrl + path, {
    method,
    headers: { ...(session ? { cookie: session.cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}
