/**
 * `npm start`: run the server. With no DATABASE_URL it uses embedded PGlite
 * in DATA_DIR and seeds a demo garage on first start.
 */
import { loadConfig } from './config.js';
import { startServer } from './server/start.js';
import { printDemoBanner } from './seed/demo-banner.js';

const config = loadConfig();
const { app, database, demo } = await startServer(config);
await app.listen({ port: config.PORT, host: config.HOST });
if (config.usesDemoSecrets) app.log.warn('Provider secrets are the demo defaults: set WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN before exposing this server.');
app.log.info({ engine: database.engine, publicBaseUrl: config.PUBLIC_BASE_URL }, 'Torqueflow Messaging is ready');
if (demo) printDemoBanner(demo, config);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}
