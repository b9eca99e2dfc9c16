/**
 * Issue 16 item 4: `npm start` runs the server as JavaScript built once into
 * dist/server (src/cli/server-build.ts), rebuilt only when a source changed,
 * and the built modules find the repository's files (dist/web) as the
 * TypeScript sources do (src/project-root.ts). Run against a small copy of
 * the layout in a temporary folder, so the repository's own build is untouched.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, serverBuildIsCurrent, SERVER_DIST, START_DEFAULTS } from '../../src/cli/server-build.js';
import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../../src/project-root.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
let root: string;

before(async () => {
  root = realpathSync(await mkdtemp(join(tmpdir(), 'tf-server-build-')));
  await mkdir(join(root, 'src/cli'), { recursive: true });
  await mkdir(join(root, 'src/lib'), { recursive: true });
  await writeFile(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  await writeFile(join(root, 'package-lock.json'), '{}');
  await copyFile(join(REPO_ROOT, 'src/project-root.ts'), join(root, 'src/project-root.ts'));
  await writeFile(join(root, 'src/lib/greeting.ts'), "export const greeting: string = 'hello';\n");
  await writeFile(join(root, 'src/main.ts'), [
    "import { greeting } from './lib/greeting.js';",
    "import { PROJECT_ROOT } from './project-root.js';",
    "type Shown = { greeting: string; root: string };",
    'const shown: Shown = { greeting, root: PROJECT_ROOT };',
    'console.log(JSON.stringify(shown));',
  ].join('\n'));
  await writeFile(join(root, 'src/cli/tool.ts'), 'this is not TypeScript, and the server build never reads it (' );
});
after(() => rm(root, { recursive: true, force: true }));

function runBuilt(): { greeting: string; root: string } {
  const r = spawnSync(process.execPath, [join(root, SERVER_DIST, 'main.js')], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { greeting: string; root: string };
}

test('the repository root is found from the sources', () => {
  assert.equal(join(PROJECT_ROOT, '/'), join(REPO_ROOT, '/'));
});

test('the server is built once into dist/server, runs as plain JavaScript and finds the repository root from there', async () => {
  assert.equal(serverBuildIsCurrent(root), false, 'nothing built yet');
  await buildServer(root);
  assert.equal(serverBuildIsCurrent(root), true);
  assert.deepEqual(runBuilt(), { greeting: 'hello', root });
});

test('a changed or added source makes the build stale; building again brings the change', async () => {
  await buildServer(root);
  await writeFile(join(root, 'src/lib/greeting.ts'), "export const greeting: string = 'good morning';\n");
  assert.equal(serverBuildIsCurrent(root), false, 'changed source');
  await buildServer(root);
  assert.equal(serverBuildIsCurrent(root), true);
  assert.equal(runBuilt().greeting, 'good morning');

  await writeFile(join(root, 'src/lib/extra.ts'), 'export const extra = 1;\n');
  assert.equal(serverBuildIsCurrent(root), false, 'added source');
  await buildServer(root);
  await writeFile(join(root, 'package-lock.json'), '{"lockfileVersion":3}');
  assert.equal(serverBuildIsCurrent(root), false, 'changed dependencies');
  await buildServer(root);
  await writeFile(join(root, 'src/cli/tool.ts'), 'still not TypeScript (');
  assert.equal(serverBuildIsCurrent(root), true, 'the command-line tools are not part of the server build');
});

test("npm start runs the built server with the defaults other tools start it with (START_DEFAULTS)", () => {
  const start = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  assert.equal(start, `MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-${START_DEFAULTS.mallocArenaMax}} node \${START_NODE_FLAGS-${START_DEFAULTS.nodeFlags}} ${SERVER_DIST}/main.js`);
});
