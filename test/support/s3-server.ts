/**
 * A local S3-compatible server (s3rver) for tests and benchmarks, with one
 * bucket, in a temporary folder removed by `close()`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
import type { S3StoreOptions } from '../../src/media/s3-store.js';

export type LocalS3 = { options: S3StoreOptions; close(): Promise<void> };

export async function startLocalS3(bucket = 'torqueflow-media'): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = (await server.run()) as AddressInfo;
  return {
    options: {
      bucket, region: 'us-east-1', forcePathStyle: true,
      endpoint: `http://127.0.0.1:${address.port}`, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER',
    },
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
