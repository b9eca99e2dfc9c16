/**
 * The site icon: `/favicon.svg` (the "TF" tile every page links to) and
 * `/favicon.ico`, which browsers ask for on their own (issue 12 reviewer:
 * "favicon.ico is a 404 on every page"): the same tile rendered once to a
 * 32×32 PNG by sharp and wrapped in an ICO container (one PNG entry, valid
 * since Windows Vista and in every current browser).
 */
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';

export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f2933"/><text x="16" y="21" font-family="sans-serif" font-size="13" font-weight="700" fill="white" text-anchor="middle">TF</text></svg>`;

/** An ICO file holding one PNG image of `size`×`size` pixels (ICONDIR + one ICONDIRENTRY + the PNG). */
export function icoFromPng(png: Buffer, size: number): Buffer {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size >= 256 ? 0 : size, 6);
  header.writeUInt8(size >= 256 ? 0 : size, 7);
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(22, 18); // offset of the image
  return Buffer.concat([header, png]);
}

export async function faviconRoutes(app: FastifyInstance): Promise<void> {
  let ico: Promise<Buffer> | null = null;
  const cache = 'public, max-age=86400';
  app.get('/favicon.svg', { schema: { hide: true } }, async (_request, reply) => reply.type('image/svg+xml').header('cache-control', cache).send(FAVICON_SVG));
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => {
    ico ??= sharp(Buffer.from(FAVICON_SVG)).resize(32, 32).png().toBuffer().then((png) => icoFromPng(png, 32));
    return reply.type('image/x-icon').header('cache-control', cache).send(await ico);
  });
}
