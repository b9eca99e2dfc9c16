/**
 * Issue 10 item 16: the embedded database folder belongs to one process at a
 * time. PGlite keeps the database in memory and writes the folder as it goes;
 * a second process on the same folder (another server, `npm run token`) would
 * work on a copy that the first overwrites, so its writes are lost.
 *
 * The lock is a file `DATA_DIR/torqueflow.lock` created with O_EXCL holding
 * the owner's pid. A lock whose pid no longer runs (the owner was killed) is
 * stale and is taken over. Errors that the operator fixes (folder in use,
 * not writable, full, not a folder) are StartupErrors with a clear message.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StartupError } from '../server/startup-error.js';

export const LOCK_FILE = 'torqueflow.lock';

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A StartupError for a file-system failure on the data folder, or the error itself. */
export function dataDirError(err: unknown, dataDir: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = resolve(dataDir);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new StartupError(`The data folder ${where} (DATA_DIR) is not writable (${code}): give this user write access, or point DATA_DIR elsewhere.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new StartupError(`The disk holding the data folder ${where} (DATA_DIR) is full (${code}): free some space and start again.`);
    case 'ENOTDIR':
    case 'EEXIST':
      return new StartupError(`DATA_DIR ${where} is not a folder (${code}): point DATA_DIR at a folder.`);
    default:
      return err;
  }
}

/**
 * Take the lock on `dataDir` (creating the folder).
 * @returns release: removes the lock file (idempotent)
 * @throws StartupError when another running process holds it, or the folder is unusable
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, LOCK_FILE);
  try {
    mkdirSync(dataDir, { recursive: true });
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
        const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && running(pid)) {
          throw new StartupError(`The embedded database in ${resolve(dataDir)} (DATA_DIR) is in use by process ${pid} (a running server?). PGlite allows one process at a time: stop it first, or use PostgreSQL (DATABASE_URL) to share a database.`);
        }
        if (pid === process.pid) throw new StartupError(`The embedded database in ${resolve(dataDir)} is already open in this process.`);
        rmSync(file, { force: true }); // stale: its process is gone
      }
    }
  } catch (err) {
    throw dataDirError(err, dataDir);
  }
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    rmSync(file, { force: true });
  };
}
