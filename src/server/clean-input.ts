/**
 * Staff and API input is cleaned at the edge like webhook text
 * (src/webhooks/text.ts; issue 10 item 10): JSON bodies, query strings and
 * path parameters lose NUL characters and unpaired surrogates before
 * validation, so a stray U+0000 in a name, a search or a template never
 * answers 500. Registered on the root instance before any route, so every
 * scope inherits it; a scope that needs the raw bytes (the WhatsApp
 * webhook, for its signature) replaces the JSON parser and cleans itself.
 */
import type { FastifyInstance } from 'fastify';
import { cleanDeep } from '../webhooks/text.js';

export function registerInputCleaning(app: FastifyInstance): void {
  // Fastify's own JSON parser (prototype-poisoning protection included), then cleaned.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body as string, (err, value) => (err ? done(err, undefined) : done(null, cleanDeep(value))));
  });
  app.addHook('preValidation', async (request) => {
    request.query = cleanDeep(request.query);
    request.params = cleanDeep(request.params);
  });
}
