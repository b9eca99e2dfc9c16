/**
 * `npm start` runs the server as JavaScript (issue 16: compiling TypeScript
 * in the server's own process at every start cost ~0.8 s and ~125 MB of
 * resident memory, tsx's loader and its compiled sources). esbuild
 * transpiles every module under src/ but the command-line tools (src/cli,
 * which keep running through tsx) one file to one file into dist/server/,
 * imports unchanged (they already name `.js`), with linked source maps for
 * `node --enable-source-maps`. No type check here: `npm test` (and
 * `npm run typecheck`) does that.
 *
 * The build is current when dist/server/build-inputs.json lists exactly the
 * files under src/ (but src/cli) and every one, with package-lock.json and
 * this file, still has its recorded SHA-256 (web/build-inputs.ts hashes the
 * same way for the web apps).
 */
import { rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { filesUnder, sha256 } from '../../web/build-inputs.js';

/** Where `npm start` finds the compiled server (dist/server/main.js). */
export const SERVER_DIST = 'dist/server';

/**
 * How `npm start` runs the built server (package.json "start", which cannot
 * import this; test/server/server-build.test.ts checks the two agree), for
 * tools that start it the same way (bench/soak.ts): the Node.js flags unless
 * START_NODE_FLAGS is set, and glibc's malloc arenas unless MALLOC_ARENA_MAX is.
 */
export const START_DEFAULTS = { nodeFlags: '--optimize-for-size', mallocArenaMax: '2' };
const RECORD = 'build-inputs.json';
const EXTRA_INPUTS = ['package-lock.json', 'src/cli/server-build.ts'];

/** The modules the server is made of: every .ts under src/ but src/cli/, relative to the root. */
function serverSources(root: string): string[] {
  return filesUnder(root, 'src').filter((f) => f.endsWith('.ts') && !f.startsWith('src/cli/'));
}

function hashes(root: string, files: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(files.map((f) => [f, sha256(join(root, f))]));
}

/** Whether dist/server holds a build of the current sources. @param root absolute repository root */
export function serverBuildIsCurrent(root: string): boolean {
  const recordPath = join(root, SERVER_DIST, RECORD);
  if (!existsSync(recordPath)) return false;
  try {
    const recorded = JSON.parse(readFileSync(recordPath, 'utf8')) as Record<string, string | null>;
    const now = hashes(root, [...serverSources(root), ...EXTRA_INPUTS]);
    return JSON.stringify(Object.entries(recorded).sort()) === JSON.stringify(Object.entries(now).sort());
  } catch {
    return false;
  }
}

/**
 * Transpile the server into dist/server (emptied first), then record its inputs.
 * @param root absolute repository root
 * @throws esbuild's error when a source does not parse
 */
export async function buildServer(root: string): Promise<void> {
  const sources = serverSources(root);
  const outdir = join(root, SERVER_DIST);
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: sources.map((f) => join(root, f)),
    outbase: join(root, 'src'),
    outdir,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  writeFileSync(join(outdir, RECORD), JSON.stringify(hashes(root, [...sources, ...EXTRA_INPUTS])));
}
