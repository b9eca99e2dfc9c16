/**
 * Subject Access Request export (issue 12 item 8):
 * `GET /v1/customers/{id}/export` → `application/zip` download
 * (`src/customers/sar/build-sar-zip.ts` says what is in it). Capability
 * `customers.export` (owners and managers by default). Each export is
 * written to the staff audit log (`customer.exported`, with who and how many
 * messages) before the first byte is sent, in the same transaction that read
 * the data.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { recordAudit } from '../../auth/audit.js';
import { AppError } from '../../server/errors.js';
import type { MediaStore } from '../../media/store.js';
import { loadSarData } from '../../customers/sar/load-sar-data.js';
import { buildSarZip } from '../../customers/sar/build-sar-zip.js';

/** `sar-grace-evans-2026-12-02.zip`: the customer's name made safe for a file name. */
export function sarFileName(customerName: string, at: Date): string {
  const slug = customerName.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60) || 'customer';
  return `sar-${slug}-${at.toISOString().slice(0, 10)}.zip`;
}

export async function sarRoutes(app: FastifyInstance, { db, store }: { db: Kysely<Database>; store: MediaStore }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/customers/:id/export', {
    config: { capability: 'customers.export' },
    schema: {
      summary: 'Subject Access Request export (zip)',
      description: 'One zip: cover-page.txt (purposes, recipients, retention, rights, source, automated processing), data.json, csv/*.csv (formula-safe), media/ and recordings/. Audited as customer.exported.',
      tags: ['customers'], security: [{ bearerAuth: [] }],
      params: z.object({ id: z.uuid() }),
    },
  }, async (request, reply) => {
    const now = new Date();
    const loaded = await withTenant(db, request.orgId, async (trx) => {
      const found = await loadSarData(trx, request.orgId, request.params.id);
      if (!found) throw new AppError('not_found', 'No such customer in this organisation.');
      await recordAudit(trx, request.principal, {
        action: 'customer.exported', targetType: 'customer', targetId: request.params.id,
        after: { messages: found.data.tables.messages.length, media: found.storageKeys.size, recordings: found.recordings.length },
      });
      return found;
    });
    return reply.type('application/zip')
      .header('content-disposition', `attachment; filename="${sarFileName(String(loaded.data.customer.name), now)}"`)
      .header('cache-control', 'no-store')
      .send(buildSarZip(loaded.data, loaded.recordings, loaded.storageKeys, store, now));
  });
}
