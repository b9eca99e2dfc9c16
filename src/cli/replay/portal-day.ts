/**
 * The portal part of a replayed day (I/O): the replay's demo customer opens
 * the magic link the server issued for them (src/seed/demo-portal-link.ts)
 * the way a phone does — a link scanner's HEAD and GET first, which must sign
 * nobody in, then the Continue button's POST — and writes to the garage
 * through the real portal endpoints: a text, photos through the multipart
 * upload (phone JPEGs with GPS in their EXIF, a PNG screenshot), a retried
 * send, and a PDF renamed `.jpg` that must be refused. Then the self-check:
 * each message is in the staff thread exactly once on channel `portal` with
 * its photos stored (no EXIF, a thumbnail, served to the API token), the
 * customer sees the same in the portal, and a staff read shows there as read.
 */
import { randomUUID } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import type { DemoPortalLink } from '../../seed/demo-portal-link.js';
import { cameraJpeg, pdfNamedJpg, screenshotPng, type ReplayPhoto } from './portal-photos.js';
import type { MessageView } from './snapshot.js';
import type { Check } from './verify.js';

export type PortalDayOptions = {
  baseUrl: string;
  apiToken: string;
  link: DemoPortalLink;
  runId: string;
  log?: (line: string) => void;
};

type PortalView = { id: string; mine: boolean; channel: string; body: string; receipt: string; media: Array<{ state: string; url: string | null; thumbnailUrl: string | null }> };
type Sent = { body: string; photos: number; id: string | null };

const TIMEOUT = () => AbortSignal.timeout(60_000);

function check(name: string, checked: number, failures: string[]): Check {
  return { name, passed: failures.length === 0, checked, failures };
}

/** The customer's planned messages: a text, one photo, three photos (JPEG, JPEG, PNG), and a photo without words. */
async function plannedMessages(runId: string): Promise<Array<{ body: string; photos: ReplayPhoto[] }>> {
  return [
    { body: `Hi, is the car ready for collection? (replay ${runId})`, photos: [] },
    { body: `This is the warning light that came on (replay ${runId})`, photos: [await cameraJpeg(0, 'IMG_0412.jpg')] },
    { body: `Here is the damage from three sides (replay ${runId})`, photos: [await cameraJpeg(1, 'IMG_0413.jpg'), await cameraJpeg(2, 'IMG_0414.jpg'), await screenshotPng(3, 'Screenshot.png')] },
    { body: '', photos: [await cameraJpeg(4, `IMG_${runId}.jpg`)] },
  ];
}

/** Sign in as a phone would: scanner HEAD and GET (no session), then Continue. */
async function signIn(o: PortalDayOptions, failures: { prefetch: string[]; signIn: string[] }): Promise<string | null> {
  const url = `${o.baseUrl}/l/${o.link.code}`;
  for (const method of ['HEAD', 'GET'] as const) {
    const res = await fetch(url, { method, redirect: 'manual', signal: TIMEOUT() });
    await res.arrayBuffer();
    if (res.status !== 200) failures.prefetch.push(`${method} /l/{code} answered ${res.status} (the link from ${o.link.expiresAt} should be valid: restart the demo server for a fresh one)`);
    if (res.headers.getSetCookie().length > 0) failures.prefetch.push(`${method} /l/{code} set a cookie: a link scanner would be signed in`);
  }
  const res = await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '', signal: TIMEOUT() });
  await res.arrayBuffer();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('tf_portal='));
  if (res.status !== 303 || !cookie) {
    failures.signIn.push(`POST /l/{code} answered ${res.status} ${cookie ? 'with' : 'without'} a session cookie`);
    return null;
  }
  const me = await fetch(`${o.baseUrl}/portal/api/me`, { headers: { cookie }, signal: TIMEOUT() });
  const who = await me.json() as { customerName?: string };
  if (me.status !== 200 || who.customerName !== o.link.customerName) failures.signIn.push(`GET /portal/api/me answered ${me.status} for ${who.customerName ?? 'nobody'}, expected ${o.link.customerName}`);
  const staff = await fetch(`${o.baseUrl}/portal/api/me`, { headers: { authorization: `Bearer ${o.apiToken}` }, signal: TIMEOUT() });
  await staff.arrayBuffer();
  if (staff.status !== 401) failures.signIn.push(`the staff API token opened the portal (GET /portal/api/me answered ${staff.status})`);
  return cookie;
}

async function postPortalMessage(o: PortalDayOptions, cookie: string, body: string, photos: ReplayPhoto[], clientKey: string): Promise<{ status: number; json: any }> {
  const form = new FormData();
  form.set('body', body);
  form.set('clientKey', clientKey);
  for (const p of photos) form.append('photos', new Blob([new Uint8Array(p.bytes)], { type: p.contentType }), p.filename);
  const res = await fetch(`${o.baseUrl}/portal/api/messages`, { method: 'POST', headers: { cookie }, body: form, signal: TIMEOUT() });
  return { status: res.status, json: await res.json().catch(() => null) };
}

async function staffThread(o: PortalDayOptions): Promise<MessageView[]> {
  const pages: MessageView[][] = [];
  let before: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const res = await fetch(`${o.baseUrl}/v1/conversations/${o.link.conversationId}/messages?limit=200${before ? `&before=${encodeURIComponent(before)}` : ''}`, { headers: { authorization: `Bearer ${o.apiToken}` }, signal: TIMEOUT() });
    if (res.status !== 200) throw new Error(`GET /v1/conversations/{id}/messages answered ${res.status}`);
    const json = await res.json() as { messages: MessageView[]; earlierCursor: string | null };
    pages.unshift(json.messages);
    if (!json.earlierCursor) break;
    before = json.earlierCursor;
  }
  return pages.flat();
}

/** Fetch an image; null when it is not a 200 image. */
async function image(url: string, headers: Record<string, string>): Promise<Metadata | null> {
  const res = await fetch(url, { headers, signal: TIMEOUT() });
  if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('image/')) return null;
  return sharp(Buffer.from(await res.arrayBuffer())).metadata().catch(() => null);
}

/** What the garage sees: each message once, on `portal`, its photos stored, clean and served. */
async function staffChecks(o: PortalDayOptions, sent: Sent[]): Promise<string[]> {
  const failures: string[] = [];
  const thread = await staffThread(o);
  const auth = { authorization: `Bearer ${o.apiToken}` };
  for (const s of sent) {
    const found = thread.filter((m) => m.id === s.id);
    const label = JSON.stringify(s.body.slice(0, 40) || '(photo only)');
    if (found.length !== 1) {
      failures.push(`${label}: ${found.length} copies in the staff thread (expected 1)`);
      continue;
    }
    const m = found[0]!;
    if (m.channel !== 'portal' || m.direction !== 'inbound') failures.push(`${label}: ${m.direction} on ${m.channel}, expected inbound on portal`);
    if (m.body !== s.body) failures.push(`${label}: body ${JSON.stringify(m.body)}`);
    if (m.media.length !== s.photos) failures.push(`${label}: ${m.media.length} photos, expected ${s.photos}`);
    for (const item of m.media) {
      if (item.state !== 'stored' || !item.mediaId) {
        failures.push(`${label}: a photo is ${item.state ?? 'without a state'}`);
        continue;
      }
      const full = await image(`${o.baseUrl}/v1/media/${item.mediaId}`, auth);
      if (!full) failures.push(`${label}: GET /v1/media/${item.mediaId} is not an image`);
      else if (full.exif) failures.push(`${label}: the stored photo ${item.mediaId} still carries EXIF (location)`);
      if (!item.thumbnail || !(await image(`${o.baseUrl}/v1/media/${item.mediaId}/thumbnail`, auth))) failures.push(`${label}: no thumbnail for ${item.mediaId}`);
    }
  }
  const refusedBody = `This is my invoice (replay ${o.runId})`;
  if (thread.some((m) => m.body === refusedBody)) failures.push('the message with the refused PDF was stored');
  return failures;
}

/** What the customer sees: their messages and photos, read once the garage opened the thread. */
async function customerChecks(o: PortalDayOptions, cookie: string, sent: Sent[]): Promise<string[]> {
  const failures: string[] = [];
  const read = await fetch(`${o.baseUrl}/v1/conversations/${o.link.conversationId}/read`, { method: 'POST', headers: { authorization: `Bearer ${o.apiToken}` }, signal: TIMEOUT() });
  await read.arrayBuffer();
  if (read.status !== 200) failures.push(`staff marking the thread read answered ${read.status}`);
  const res = await fetch(`${o.baseUrl}/portal/api/messages?limit=100`, { headers: { cookie }, signal: TIMEOUT() });
  const page = await res.json() as { messages: PortalView[] };
  for (const s of sent) {
    const label = JSON.stringify(s.body.slice(0, 40) || '(photo only)');
    const m = page.messages.find((v) => v.id === s.id);
    if (!m) {
      failures.push(`${label}: not in the customer's portal thread`);
      continue;
    }
    if (!m.mine || m.channel !== 'portal') failures.push(`${label}: shown as ${m.mine ? 'mine' : 'the garage\'s'} on ${m.channel}`);
    if (m.receipt !== 'read') failures.push(`${label}: receipt ${m.receipt} after the garage read the thread, expected read`);
    if (m.media.length !== s.photos || m.media.some((p) => p.state !== 'stored' || !p.url)) failures.push(`${label}: the customer sees ${m.media.map((p) => p.state).join(', ') || 'no photos'}`);
    for (const p of m.media) {
      if (p.url && !(await image(o.baseUrl + p.url, { cookie }))) failures.push(`${label}: the customer cannot open ${p.url}`);
    }
  }
  return failures;
}

/**
 * Run the portal part of the day.
 * @returns its checks (each failing line says what was wrong)
 */
export async function replayPortal(o: PortalDayOptions): Promise<Check[]> {
  const log = o.log ?? (() => {});
  const failures = { prefetch: [] as string[], signIn: [] as string[], send: [] as string[] };
  const cookie = await signIn(o, failures);
  const sent: Sent[] = [];
  if (cookie) {
    for (const [i, planned] of (await plannedMessages(o.runId)).entries()) {
      const clientKey = randomUUID();
      const first = await postPortalMessage(o, cookie, planned.body, planned.photos, clientKey);
      if (first.status !== 201) failures.send.push(`message ${i + 1} answered ${first.status}: ${JSON.stringify(first.json)?.slice(0, 200)}`);
      sent.push({ body: planned.body, photos: planned.photos.length, id: first.json?.id ?? null });
      if (i === 2) {
        // The phone lost the answer and sends again with the same clientKey: still one message.
        const retry = await postPortalMessage(o, cookie, planned.body, planned.photos, clientKey);
        if (retry.status !== 201 || retry.json?.id !== first.json?.id) failures.send.push(`the retried message ${i + 1} answered ${retry.status} with ${retry.json?.id === first.json?.id ? 'the same' : 'another'} message`);
      }
    }
    const refused = await postPortalMessage(o, cookie, `This is my invoice (replay ${o.runId})`, [pdfNamedJpg()], randomUUID());
    if (refused.status !== 422 || refused.json?.error?.code !== 'photo_refused') failures.send.push(`a PDF named .jpg answered ${refused.status} ${JSON.stringify(refused.json)?.slice(0, 200)}, expected 422 photo_refused`);
    log(`portal: ${sent.length} messages with ${sent.reduce((n, s) => n + s.photos, 0)} photos sent as ${o.link.customerName}`);
  }
  const checks = [
    check('portal: a link scanner (HEAD, GET) signs nobody in', 2, failures.prefetch),
    check('portal: Continue signs the customer in; the API token gets no portal session', 3, failures.signIn),
  ];
  if (!cookie) return checks;
  checks.push(check('portal: messages with photos accepted (a retry stays one), a PDF named .jpg refused', sent.length + 2, failures.send));
  const photos = sent.reduce((n, s) => n + s.photos, 0);
  checks.push(check('portal: each message in the staff thread once, on portal, photos stored without location with thumbnails', sent.length + photos, await staffChecks(o, sent)));
  checks.push(check('portal: the customer sees their messages and photos, read once the garage opened them', sent.length + photos, await customerChecks(o, cookie, sent)));
  return checks;
}
