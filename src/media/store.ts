/**
 * The media storage contract: one interface, two drivers chosen by
 * configuration (`MEDIA_STORE=local|s3`, see `src/config.ts` and the README's
 * "Media storage" section). Photos (inbound MMS, WhatsApp images, portal
 * uploads, staff attachments) and call recordings are stored through it.
 *
 * Keys are always `org/{orgId}/…` (the organisation first, so one garage's
 * objects are one prefix): build them with `mediaKey`. Keys are opaque
 * to callers otherwise; never built from user input without `mediaKey`.
 *
 * Drivers:
 * - `local-store.ts`: a folder (default `{DATA_DIR}/media`), single instance only.
 * - `s3-store.ts`: S3-compatible object storage (AWS, MinIO, R2), needed when
 *   several instances serve one database.
 *
 * Every driver passes `test/media/store-contract.test.ts`.
 */
import type { Readable } from 'node:stream';

/** What `get` returns: the bytes as a stream, with what `put` stored. */
export type StoredObject = {
  body: Readable;
  contentType: string;
  /** Size in bytes. */
  size: number;
};

export type MediaStore = {
  /** Driver name, for logs and health output (`local` or `s3`). */
  readonly driver: 'local' | 's3';
  /**
   * Store `body` under `key`, replacing any object there. Atomic: a reader
   * sees the old object, the new one, or none — never a partial one.
   * @param body the bytes, or a stream of them (consumed once)
   * @param contentType MIME type returned by `get`, e.g. `image/jpeg`
   * @throws InvalidMediaKey for a key outside `org/{uuid}/…`
   */
  put(key: string, body: Buffer | Readable, contentType: string): Promise<void>;
  /** The object under `key`, or null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  /** Remove the object under `key`; no error when there is none. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
};

export class InvalidMediaKey extends Error {
  constructor(key: string) {
    super(`Invalid media key ${JSON.stringify(key.slice(0, 120))}: keys are org/{orgId}/ followed by [A-Za-z0-9._-] segments`);
    this.name = 'InvalidMediaKey';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/**
 * Check a key is `org/{uuid}/seg/…` with safe segments (no `..`, no empty
 * or hidden segments, no separators other than `/`).
 * @throws InvalidMediaKey
 */
export function assertMediaKey(key: string): void {
  const parts = key.split('/');
  const ok = parts.length >= 3 && parts[0] === 'org' && UUID.test(parts[1]!) && parts.slice(2).every((p) => SEGMENT.test(p) && p !== '..' && !p.startsWith('.'));
  if (!ok || key.length > 1024) throw new InvalidMediaKey(key);
}

/**
 * The key of an object of organisation `orgId`: `org/{orgId}/{parts joined by /}`.
 * @throws InvalidMediaKey when a part is not a safe segment
 */
export function mediaKey(orgId: string, ...parts: string[]): string {
  const key = ['org', orgId, ...parts].join('/');
  assertMediaKey(key);
  return key;
}

/** Read a whole stored object into memory (thumbnails, small files, tests). */
export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
