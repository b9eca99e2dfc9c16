/**
 * Issue 10 item 17: security headers on every response, by @fastify/helmet
 * (https://github.com/fastify/fastify-helmet, helmet's defaults plus):
 *
 * - Content-Security-Policy without inline script: scripts only from this
 *   origin ('self', what the Vite-built staff app and portal load); styles
 *   from this origin and inline (the server pages' `<style>` and React style
 *   attributes); images and media also from `data:`, `blob:` and https
 *   (thumbnails, presigned object-store URLs); connections (fetch, the event
 *   stream) to this origin; no plugins; forms post here only;
 *   `frame-ancestors 'none'` (nobody frames the inbox: clickjacking).
 * - X-Content-Type-Options: nosniff, Referrer-Policy: same-origin (magic-link
 *   and reset URLs never leak to other sites, while same-origin form posts keep
 *   their Origin header), X-Frame-Options: DENY.
 * - Strict-Transport-Security and upgrade-insecure-requests only when
 *   PUBLIC_BASE_URL is https (behind a TLS proxy): on the plain-http loopback
 *   demo they would send the browser to an https port nobody listens on.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

export async function registerSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'PUBLIC_BASE_URL'>): Promise<void> {
  const tls = new URL(config.PUBLIC_BASE_URL).protocol === 'https:';
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        mediaSrc: ["'self'", 'blob:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  });
}
