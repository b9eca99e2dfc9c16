/**
 * Fakes for the voice work, on 127.0.0.1:
 * - Twilio's Recording media (`GET /2010-04-01/Accounts/{AC}/Recordings/{RE}.wav`,
 *   HTTP Basic `{AccountSid}:{authToken}` else Twilio's 401 20003) and Calls
 *   API (`POST …/Calls.json` → 201 Call JSON with a fresh `CA…` sid), and
 *   Messages (`POST …/Messages.json` → 201 `queued`, no auth check) so replies can be sent;
 * - an OpenAI-compatible speech-to-text server (`POST /v1/audio/transcriptions`,
 *   multipart `file` + `model` → `{"text": …}`).
 * Every request is recorded.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer };
export type FakeVoice = {
  baseUrl: string;
  requests: FakeRequest[];
  /** Audio served for a recording sid (default: a small WAV-looking buffer). */
  recordings: Map<string, Buffer>;
  /** The transcript the speech-to-text endpoint answers. */
  transcript: string;
  close(): Promise<void>;
};

/** A tiny RIFF/WAVE header and some silence: enough to be served and played as audio/wav. */
export function fakeWav(seconds = 1): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(rate * seconds * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + data.length, 4); header.write('WAVE', 8); header.write('fmt ', 12);
  header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22); header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34); header.write('data', 36); header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const RECORDING = /^\/2010-04-01\/Accounts\/(AC\w{32})\/Recordings\/(RE[0-9a-fA-F]{32})\.(wav|mp3)$/;
const CALLS = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Calls\.json$/;
const MESSAGES = /^\/2010-04-01\/Accounts\/(AC\w{32})\/Messages\.json$/;

export async function startFakeVoice(opts: { authToken: string }): Promise<FakeVoice> {
  const fake: Omit<FakeVoice, 'baseUrl' | 'close'> = { requests: [], recordings: new Map(), transcript: 'This is a long voicemail about the clutch.' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      fake.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body: Buffer.concat(chunks) });
      const json = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
      const rec = RECORDING.exec(path);
      const calls = CALLS.exec(path);
      const account = rec?.[1] ?? calls?.[1];
      if (account) {
        const expected = `Basic ${Buffer.from(`${account}:${opts.authToken}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return json(401, { code: 20003, message: 'Authenticate', status: 401 });
      }
      if (rec && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'audio/x-wav' });
        return res.end(fake.recordings.get(rec[2]!) ?? fakeWav());
      }
      if (calls && req.method === 'POST') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        return json(201, { sid: `CA${randomBytes(16).toString('hex')}`, account_sid: account, to: form.get('To'), from: form.get('From'), status: 'queued', direction: 'outbound-api' });
      }
      if (MESSAGES.test(path) && req.method === 'POST') return json(201, { sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued', price: null, price_unit: 'GBP' });
      if (path === '/v1/audio/transcriptions' && req.method === 'POST') {
        const body = Buffer.concat(chunks).toString('latin1');
        if (!body.includes('name="file"') || !body.includes('name="model"')) return json(400, { error: { message: 'file and model are required' } });
        return json(200, { text: fake.transcript });
      }
      json(404, { code: 20404, message: 'not found', status: 404 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  }) as FakeVoice;
}
