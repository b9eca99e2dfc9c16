/**
 * The customer portal (web/portal/), the Vite project's second entry, served
 * by the Fastify server at /portal (src/web/portal-app.routes.ts). Built into
 * dist/portal with asset URLs under /portal/. Kept small for cheap phones:
 * React and a few components, no router or query library.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { recordBuildInputs } from './build-inputs.js';

export default defineConfig({
  root: fileURLToPath(new URL('./portal', import.meta.url)),
  base: '/portal/',
  plugins: [react(), recordBuildInputs(fileURLToPath(new URL('..', import.meta.url)))],
  build: {
    outDir: fileURLToPath(new URL('../dist/portal', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
  },
  logLevel: 'warn',
  server: {
    proxy: Object.fromEntries(['/portal/api', '/l'].map((p) => [p, { target: process.env.API_URL ?? 'http://localhost:3000', changeOrigin: false }])),
  },
});
