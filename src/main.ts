/**
 * `npm start`: run the server. With no DATABASE_URL it uses embedded PGlite
 * in DATA_DIR and seeds a demo garage on first start.
 */
import { loadConfig } from './config.js';
import { startServer } from './server/start.js';
import { printDemoBanner } from './seed/demo-banner.js';
import { exitWithStartupError } from './server/startup-error.js';

const { config, started } = await (async () => {
  const config = loadConfig();
  return { config, started: await startServer(config) };
})().catch(exitWithStartupError);
const { app, database, demo, insecureDemo } = started;
await app.listen({ port: config.PORT, host: config.HOST }).catch(exitWithStartupError);
if (insecureDemo.length > 0) {
  app.log.error({ findings: insecureDemo.map((f) => f.what) }, 'INSECURE: ALLOW_DEMO_ON_PUBLIC_HOST lets a server reachable from other hosts run with published demo secrets or accounts');
}
app.log.info({ engine: database.engine, publicBaseUrl: config.PUBLIC_BASE_URL }, 'Torqueflow Messaging is ready');
if (demo) printDemoBanner(demo, config);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}
