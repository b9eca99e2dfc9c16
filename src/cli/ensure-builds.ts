/**
 * `npm start`'s pre-step: builds what the server serves and runs, only when
 * it is missing or its recorded inputs changed, so a restart serves in
 * seconds: the web apps (`npm run build:web` into dist/web and dist/portal;
 * web/build-inputs.ts) and the server's JavaScript (dist/server;
 * src/cli/server-build.ts).
 * Exits with the web build's exit code, or 1 when the server does not build.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildIsCurrent } from '../../web/build-inputs.js';
import { PROJECT_ROOT as root } from '../project-root.js';
import { buildServer, serverBuildIsCurrent } from './server-build.js';

if (buildIsCurrent(root, join(root, 'dist/web')) && buildIsCurrent(root, join(root, 'dist/portal'))) {
  console.log('web apps: builds are current (dist/web, dist/portal)');
} else {
  const web = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (web.status !== 0) process.exit(web.status ?? 1);
}

if (serverBuildIsCurrent(root)) {
  console.log('server: build is current (dist/server)');
} else {
  const started = Date.now();
  await buildServer(root).catch(() => process.exit(1));
  console.log(`server: built dist/server in ${Date.now() - started} ms`);
}
