/**
 * Build once, not on every start (issue 16: `npm start` rebuilt the web app
 * each time, ~5 s of a 9.5 s first start).
 *
 * `recordBuildInputs()` is a Vite plugin that writes `build-inputs.json` into
 * the output folder after a build: the SHA-256 of every source file the
 * bundle was made from (as Rollup resolved them, so imports from `src/domain`
 * count too), plus the Vite config and the lock file. `buildIsCurrent()`
 * re-hashes those files: the build is current when the record exists and
 * every file still has its recorded hash and no file was added to `web/`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Plugin } from 'vite';

const RECORD = 'build-inputs.json';
/** Inputs outside the module graph that change the output. */
const EXTRA_INPUTS = ['web/vite.config.ts', 'web/portal.vite.config.ts', 'web/build-inputs.ts', 'package-lock.json'];

type BuildRecord = { files: Record<string, string>; webFiles: string[] };

/** SHA-256 (hex) of a file's bytes, or null when it cannot be read. */
export function sha256(path: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return null;
  }
}

/** Every file under `folder` (relative to `root`) but node_modules, relative to the repository root, sorted. */
export function filesUnder(root: string, folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(join(root, folder));
  return out.sort();
}

/**
 * Vite plugin recording the build's inputs into `{outDir}/build-inputs.json`.
 * @param repositoryRoot absolute path of the repository (paths are stored relative to it)
 */
export function recordBuildInputs(repositoryRoot: string): Plugin {
  let outDir = '';
  return {
    name: 'torqueflow-record-build-inputs',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      const files: Record<string, string> = {};
      const sources = [...this.getModuleIds()]
        .filter((id) => !id.startsWith('\0'))
        .map((id) => id.split('?')[0]!)
        .filter((id) => id.startsWith(repositoryRoot) && !id.includes('/node_modules/'));
      for (const path of [...sources.map((id) => relative(repositoryRoot, id)), ...EXTRA_INPUTS]) {
        const hash = sha256(join(repositoryRoot, path));
        if (hash) files[path] = hash;
      }
      const record: BuildRecord = { files, webFiles: filesUnder(repositoryRoot, 'web') };
      writeFileSync(join(outDir, RECORD), JSON.stringify(record));
    },
  };
}

/**
 * Whether `outDir` holds a build of the current sources.
 * @param repositoryRoot absolute path of the repository
 * @param outDir absolute path of the build output (dist/web)
 */
export function buildIsCurrent(repositoryRoot: string, outDir: string): boolean {
  const recordPath = join(outDir, RECORD);
  if (!existsSync(recordPath)) return false;
  let record: BuildRecord;
  try {
    record = JSON.parse(readFileSync(recordPath, 'utf8')) as BuildRecord;
  } catch {
    return false;
  }
  if (filesUnder(repositoryRoot, 'web').join('\n') !== record.webFiles.join('\n')) return false;
  return Object.entries(record.files).every(([path, hash]) => sha256(join(repositoryRoot, path)) === hash);
}
