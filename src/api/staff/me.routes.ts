/** `GET /v1/me`: who the caller is and what they may do (any authenticated principal). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

export async function meRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/me', {
    config: { capability: 'authenticated' },
    schema: {
      summary: 'The signed-in user or API token and its capabilities',
      tags: ['staff'],
      security: [{ bearerAuth: [] }],
      response: { 200: z.object({ kind: z.enum(['staff', 'token']), id: z.uuid().nullable(), name: z.string(), role: z.string().nullable(), orgId: z.uuid(), capabilities: z.array(z.string()) }) },
    },
  }, async (request) => {
    const p = request.principal;
    return { kind: p.kind, id: p.userId ?? p.tokenId, name: p.name, role: p.roleName, orgId: p.orgId, capabilities: [...p.capabilities].sort() };
  });
}
