/**
 * The local-folder media driver (the single-instance default): each object
 * is a file at `{root}/{key}` with its content type in `{root}/{key}.type`.
 * A write goes to a temporary file in the same folder and is renamed into
 * place (atomic on one file system), content type first, so a reader never
 * sees a partial object. Not for several instances: each would have its own
 * folder (use `s3`).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { assertMediaKey, type MediaStore } from './store.js';

const TYPE_SUFFIX = '.type';

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/** A media store in the folder `root` (created on first write). */
export function localMediaStore(root: string): MediaStore {
  const pathOf = (key: string): string => {
    assertMediaKey(key);
    return join(root, ...key.split('/'));
  };
  return {
    driver: 'local',
    async put(key, body, contentType) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomUUID()}.tmp`;
      try {
        if (Buffer.isBuffer(body)) await writeFile(tmp, body);
        else await pipeline(body, createWriteStream(tmp));
        await writeFile(`${tmp}${TYPE_SUFFIX}`, contentType);
        await rename(`${tmp}${TYPE_SUFFIX}`, `${path}${TYPE_SUFFIX}`);
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true });
        await rm(`${tmp}${TYPE_SUFFIX}`, { force: true });
        throw err;
      }
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const [info, contentType] = await Promise.all([stat(path), readFile(`${path}${TYPE_SUFFIX}`, 'utf8')]);
        if (!info.isFile()) return null;
        return { body: createReadStream(path), contentType, size: info.size };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await rm(`${path}${TYPE_SUFFIX}`, { force: true });
    },
    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },
  };
}
