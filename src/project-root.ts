/**
 * The repository's root folder (the nearest folder above this module that
 * holds package.json), so paths such as dist/web resolve the same whether the
 * server runs from its TypeScript sources (src/, through tsx: tests, CLIs) or
 * from the JavaScript `npm start` runs (dist/server/, src/cli/server-build.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Absolute path of the repository root. */
export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
