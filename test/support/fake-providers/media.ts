/**
 * A fake of the providers' media endpoints (127.0.0.1, random port), with
 * their authentication:
 * - Twilio: `GET /2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{MediaSid}`
 *   needs HTTP Basic `AccountSid:AuthToken` (401 otherwise) and redirects
 *   (307) to a CDN path that serves the bytes, as Twilio does;
 * - WhatsApp: `GET /{version}/{media-id}` with `Authorization: Bearer {token}`
 *   answers `{url, mime_type, sha256, file_size, id}`; `GET {url}` with the
 *   same Bearer header serves the bytes (401 without).
 * A file marked gone answers 404 (Graph: 404 on the lookup).
 * `downloads` counts byte downloads per file id.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeMediaFile = { bytes: Buffer; contentType: string; gone?: boolean; delayMs?: number };

export type FakeMedia = {
  baseUrl: string;
  /** Register a Twilio account's credentials. */
  twilioAccount(accountSid: string, authToken: string): void;
  /** Register a WhatsApp access token. */
  whatsAppToken(token: string): void;
  /** Serve `file` as Twilio media; returns its MediaUrl. */
  twilioFile(accountSid: string, messageSid: string, mediaSid: string, file: FakeMediaFile): string;
  /** Serve `file` as WhatsApp media id `mediaId`. */
  whatsAppFile(mediaId: string, file: FakeMediaFile): void;
  /** Byte downloads per file id (Twilio media sid or WhatsApp media id). */
  downloads: Map<string, number>;
  /** Requests refused for missing or wrong credentials. */
  refused: number;
  close(): Promise<void>;
};

export async function startFakeMedia(): Promise<FakeMedia> {
  const twilioAccounts = new Map<string, string>();
  const whatsAppTokens = new Set<string>();
  const files = new Map<string, FakeMediaFile>();
  const downloads = new Map<string, number>();
  let baseUrl = '';
  const fake: FakeMedia = {
    baseUrl: '',
    twilioAccount: (sid, token) => void twilioAccounts.set(sid, token),
    whatsAppToken: (token) => void whatsAppTokens.add(token),
    twilioFile: (accountSid, messageSid, mediaSid, file) => {
      files.set(mediaSid, file);
      return `${baseUrl}/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}/Media/${mediaSid}`;
    },
    whatsAppFile: (mediaId, file) => void files.set(mediaId, file),
    downloads,
    refused: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  function serveBytes(res: ServerResponse, id: string): void {
    const file = files.get(id);
    if (!file || file.gone) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":20404,"message":"Not found"}');
    downloads.set(id, (downloads.get(id) ?? 0) + 1);
    setTimeout(() => res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length }).end(file.bytes), file.delayMs ?? 0);
  }
  function refuse(res: ServerResponse): void {
    fake.refused++;
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":20003,"message":"Authenticate"}');
  }
  const bearer = (req: IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const twilio = /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\/\w+\/Media\/(\w+)$/.exec(path);
    if (twilio) {
      const expected = twilioAccounts.get(twilio[1]!);
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!expected || !basic || Buffer.from(basic, 'base64').toString() !== `${twilio[1]}:${expected}`) return refuse(res);
      if (!files.has(twilio[2]!) || files.get(twilio[2]!)!.gone) return void res.writeHead(404).end();
      return void res.writeHead(307, { location: `/twilio-cdn/${twilio[2]}` }).end();
    }
    const cdn = /^\/twilio-cdn\/(\w+)$/.exec(path);
    if (cdn) return serveBytes(res, cdn[1]!);
    const waCdn = /^\/whatsapp-cdn\/(\w+)$/.exec(path);
    if (waCdn) {
      if (!whatsAppTokens.has(bearer(req) ?? '')) return refuse(res);
      return serveBytes(res, waCdn[1]!);
    }
    const lookup = /^\/v\d+\.\d+\/(\w+)$/.exec(path);
    if (lookup) {
      if (!whatsAppTokens.has(bearer(req) ?? '')) return refuse(res);
      const file = files.get(lookup[1]!);
      if (!file || file.gone) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":100}}');
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        url: `${baseUrl}/whatsapp-cdn/${lookup[1]}`, mime_type: file.contentType,
        sha256: createHash('sha256').update(file.bytes).digest('hex'), file_size: file.bytes.length, id: lookup[1], messaging_product: 'whatsapp',
      }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.baseUrl = baseUrl;
  return fake;
}
