/**
 * Serves a Vite build's `assets/` folder (content-hashed file names) under
 * `prefix`, cached for a year as immutable: the one static-asset setup of
 * the staff app (/messages/assets/) and the portal (/portal/assets/).
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * @param distDir the build folder, ending in `/` (dist/web/ or dist/portal/)
 * @param prefix URL prefix, starting and ending with `/`
 */
export async function registerBuiltAssets(app: FastifyInstance, distDir: string, prefix: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: `${distDir}assets`,
    prefix,
    decorateReply: false,
    index: false,
    immutable: true,
    maxAge: '365d',
    schemaHide: true,
  });
}
