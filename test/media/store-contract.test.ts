/**
 * The media storage contract (src/media/store.ts), run against both drivers:
 * the local folder and S3 (s3rver started here, through the real AWS SDK).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { localMediaStore } from '../../src/media/local-store.js';
import { s3MediaStore } from '../../src/media/s3-store.js';
import { InvalidMediaKey, mediaKey, readAll, type MediaStore } from '../../src/media/store.js';
import { startLocalS3, type LocalS3 } from '../support/s3-server.js';

const orgA = randomUUID();
const orgB = randomUUID();

function contract(name: string, open: () => Promise<MediaStore>): void {
  describe(`media store contract: ${name}`, () => {
    let store: MediaStore;
    before(async () => { store = await open(); });

    test('put then get returns the same bytes, content type and size', async () => {
      const key = mediaKey(orgA, 'media', randomUUID(), 'original');
      const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
      await store.put(key, bytes, 'image/jpeg');
      const got = await store.get(key);
      assert.ok(got);
      assert.equal(got.contentType, 'image/jpeg');
      assert.equal(got.size, bytes.length);
      assert.deepEqual(await readAll(got.body), bytes);
      assert.equal(await store.exists(key), true);
    });

    test('a stream can be stored', async () => {
      const key = mediaKey(orgA, 'recordings', `${randomUUID()}.mp3`);
      await store.put(key, Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 'audio/mpeg');
      const got = await store.get(key);
      assert.equal(got?.contentType, 'audio/mpeg');
      assert.equal((await readAll(got!.body)).toString(), 'abcd');
    });

    test('put replaces; delete removes; missing keys are null / false, not errors', async () => {
      const key = mediaKey(orgB, 'media', randomUUID(), 'original');
      await store.put(key, Buffer.from('old'), 'text/plain');
      await store.put(key, Buffer.from('new!'), 'image/png');
      const got = await store.get(key);
      assert.equal(got?.contentType, 'image/png');
      assert.equal((await readAll(got!.body)).toString(), 'new!');
      await store.delete(key);
      assert.equal(await store.get(key), null);
      assert.equal(await store.exists(key), false);
      await store.delete(key);
      assert.equal(await store.get(mediaKey(orgB, 'never', 'stored')), null);
    });

    test('keys outside org/{orgId}/… are refused before any I/O', async () => {
      for (const key of ['media/x', `org/not-a-uuid/x`, `org/${orgA}/../${orgB}/x`, `org/${orgA}`, `org/${orgA}/.hidden`, `org/${orgA}//x`]) {
        await assert.rejects(store.put(key, Buffer.from('x'), 'text/plain'), InvalidMediaKey, key);
        await assert.rejects(store.get(key), InvalidMediaKey, key);
      }
      assert.throws(() => mediaKey(orgA, '..', 'x'), InvalidMediaKey);
    });

    test('concurrent writers of one key leave one whole object', async () => {
      const key = mediaKey(orgA, 'media', randomUUID(), 'original');
      const versions = Array.from({ length: 8 }, (_, i) => Buffer.alloc(100_000 + i, i));
      await Promise.all(versions.map((v) => store.put(key, v, 'image/jpeg')));
      const got = await readAll((await store.get(key))!.body);
      assert.ok(versions.some((v) => v.equals(got)), 'the stored object is one of the writes, whole');
    });
  });
}

const localRoot = await mkdtemp(join(tmpdir(), 'media-local-'));
contract('local folder', async () => localMediaStore(localRoot));

let s3: LocalS3 | undefined;
contract('S3 (s3rver)', async () => {
  s3 = await startLocalS3();
  return s3MediaStore(s3.options);
});

test('the local driver leaves no temporary files behind', async () => {
  const store = localMediaStore(localRoot);
  const id = randomUUID();
  await store.put(mediaKey(orgA, 'media', id, 'original'), Buffer.from('x'), 'image/png');
  assert.deepEqual((await readdir(join(localRoot, 'org', orgA, 'media', id))).sort(), ['original', 'original.type']);
});

after(async () => {
  await s3?.close();
  await rm(localRoot, { recursive: true, force: true });
});
