/**
 * Issue 10 item 16: one process per embedded database folder; a stale lock of
 * a killed process is taken over; the token CLI against a folder in use and
 * CLI errors exit 1; an unusable DATA_DIR gets a clear message.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/database.js';
import { LOCK_FILE } from '../../src/db/data-dir-lock.js';
import { StartupError } from '../../src/server/startup-error.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'tf-lock-')); });
after(() => rm(dir, { recursive: true, force: true }));

function tokenCli(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('the data-folder lock', () => {
  test('a second open of a folder in use is refused clearly; after close it opens again', async () => {
    const first = openDatabase({ dataDir: join(dir, 'a') });
    assert.throws(() => openDatabase({ dataDir: join(dir, 'a') }), (err: Error) => err instanceof StartupError && /is already open in this process/.test(err.message));
    await first.close();
    assert.equal(existsSync(join(dir, 'a', LOCK_FILE)), false, 'the lock is released');
    const again = openDatabase({ dataDir: join(dir, 'a') });
    await again.close();
  });

  test('a lock left by a process that no longer runs is taken over', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const folder = join(dir, 'stale');
    await rm(folder, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(folder, { recursive: true }));
    await writeFile(join(folder, LOCK_FILE), `${gone.stdout}\n`);
    const handle = openDatabase({ dataDir: folder });
    await handle.close();
  });

  test('the token CLI against a folder held by another process exits 1 naming the process', async () => {
    const folder = join(dir, 'held');
    const handle = openDatabase({ dataDir: folder });
    try {
      const r = tokenCli({ DATA_DIR: folder }, 'create', '--org', 'acme-motors');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`is in use by process ${process.pid}`));
      assert.equal(r.stdout, '', 'no token printed');
    } finally {
      await handle.close();
    }
  });

  test('the token CLI exits 1 for an unknown organisation (PGlite)', () => {
    const r = tokenCli({ DATA_DIR: join(dir, 'empty') }, 'list', '--org', 'no-such-garage');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /No organisation with slug "no-such-garage"/);
  });

  test('a DATA_DIR that is not a usable folder gets a message, not a stack', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    assert.throws(() => openDatabase({ dataDir: file }), (err: Error) => err instanceof StartupError && /is not a folder/.test(err.message));
    const r = tokenCli({ DATA_DIR: file }, 'list', '--org', 'x');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^DATA_DIR .* is not a folder/);
    assert.doesNotMatch(r.stderr, /at .*\.(ts|js):\d+/);
  });
});
