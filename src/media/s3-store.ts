/**
 * The S3-compatible media driver (AWS S3, MinIO, Cloudflare R2, s3rver in
 * tests) on the official AWS SDK. Needed when several server instances
 * share one database: every instance reads and writes the same bucket.
 * A PUT is atomic in S3 (readers see the whole old or new object); streams
 * are buffered first because PutObject needs a known length.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { assertMediaKey, readAll, type MediaStore } from './store.js';

export type S3StoreOptions = {
  bucket: string;
  region: string;
  /** Custom endpoint (MinIO, R2, s3rver); unset for AWS. */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (`{endpoint}/{bucket}/{key}`), needed by MinIO and s3rver. */
  forcePathStyle: boolean;
};

function isNotFound(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404);
}

/** A media store in an S3 bucket (which must exist). */
export function s3MediaStore(options: S3StoreOptions): MediaStore {
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.accessKeyId && options.secretAccessKey
      ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
      : {}),
  });
  const Bucket = options.bucket;
  return {
    driver: 's3',
    async put(key, body, contentType) {
      assertMediaKey(key);
      const bytes = Buffer.isBuffer(body) ? body : await readAll(body);
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.length }));
    },
    async get(key) {
      assertMediaKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return { body: out.Body as Readable, contentType: out.ContentType ?? 'application/octet-stream', size: out.ContentLength ?? 0 };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async delete(key) {
      assertMediaKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async exists(key) {
      assertMediaKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
  };
}
