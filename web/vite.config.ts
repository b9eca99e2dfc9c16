/**
 * The staff web app (React + Vite), served by the Fastify server at /messages
 * (src/web/staff-app.routes.ts). Built into dist/web with asset URLs under
 * /messages/ so they load from any /messages?… address.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { recordBuildInputs } from './build-inputs.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  base: '/messages/',
  plugins: [react(), recordBuildInputs(repositoryRoot)],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  logLevel: 'warn',
  // `npx vite --config web/vite.config.ts` serves the app at http://localhost:5173/messages/ with hot reload,
  // calling the API server started by `npm start` (sign in on :3000 first: the cookie is per host, not per port).
  server: {
    proxy: Object.fromEntries(['/v1', '/auth', '/login', '/dashboard'].map((p) => [p, { target: process.env.API_URL ?? 'http://localhost:3000', changeOrigin: false }])),
  },
});
