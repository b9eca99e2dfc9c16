/**
 * WhatsApp templates of the organisation:
 * - `GET /v1/templates`: every template with its review status;
 * - `POST /v1/templates`: create one and submit it to Meta for review.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database, MessageTemplateTable } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { createTemplate } from '../../templates/submit-template.js';

const security = [{ bearerAuth: [] }];

const templateSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  language: z.string(),
  category: z.enum(['UTILITY', 'MARKETING', 'AUTHENTICATION']),
  body: z.string(),
  placeholders: z.array(z.string()),
  status: z.enum(['pending', 'approved', 'rejected', 'paused']),
  rejectionReason: z.string().nullable(),
  providerTemplateId: z.string().nullable(),
  updatedAt: z.string(),
});

function present(t: Selectable<MessageTemplateTable>): z.infer<typeof templateSchema> {
  return {
    id: t.id, name: t.name, language: t.language, category: t.category, body: t.body, placeholders: t.placeholders,
    status: t.status, rejectionReason: t.rejection_reason, providerTemplateId: t.provider_template_id, updatedAt: t.updated_at.toISOString(),
  };
}

export async function templateRoutes(app: FastifyInstance, { db, config }: { db: Kysely<Database>; config: Config }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/templates', {
    config: { capability: 'messages.view' },
    schema: { summary: 'List WhatsApp templates', tags: ['templates'], security, response: { 200: z.object({ templates: z.array(templateSchema) }) } },
  }, async (request) => {
    const rows = await withTenant(db, request.orgId, (trx) => trx.selectFrom('message_templates').selectAll().where('org_id', '=', request.orgId).orderBy('name').orderBy('language').execute());
    return { templates: rows.map(present) };
  });

  r.post('/v1/templates', {
    config: { capability: 'messages.tier.manage' },
    schema: {
      summary: 'Create a WhatsApp template and submit it to Meta',
      description: 'Body text uses named placeholders such as {customer_name}; give one example value per placeholder.',
      tags: ['templates'],
      security,
      body: z.object({
        name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and underscores'),
        language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/).default('en_GB'),
        category: z.enum(['UTILITY', 'MARKETING', 'AUTHENTICATION']),
        body: z.string().min(1).max(1024),
        examples: z.record(z.string(), z.string()).default({}),
      }),
      response: { 201: templateSchema },
    },
  }, async (request, reply) => reply.status(201).send(present(await createTemplate(db, config, request.orgId, request.body))));
}
