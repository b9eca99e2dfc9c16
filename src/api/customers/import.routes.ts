/**
 * `POST /v1/customers/import` {csv}: CSV import of customers with consent
 * columns (src/customers/customer-import.ts; README "Customer import
 * format"). Capability `customers.manage`. The file travels as a JSON string
 * (cookie-authenticated writes must be JSON; the staff app reads the chosen
 * file and sends its text). Answers 200 {imported, created: [{row, id}],
 * errors: [{row, field, message}]}: good rows are stored, bad rows store
 * nothing; 400 import_invalid when the file as a whole cannot be read.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { recordAudit } from '../../auth/audit.js';
import { importCustomers } from '../../customers/customer-import.js';

export async function customerImportRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/customers/import', {
    config: { capability: 'customers.manage' },
    schema: {
      summary: 'Import customers from CSV (with consent columns)',
      description: 'Columns: name (required), phone, email, external_id, registrations (";"-separated), consent_transactional, consent_service_reminders, consent_marketing, consent_whatsapp (yes/no; empty = the garage default). Each row is stored on its own: a bad row is reported with its row number, field and message and stores nothing. Consent values that differ from the default are recorded with source import.',
      tags: ['customers'], security: [{ bearerAuth: [] }],
      body: z.object({ csv: z.string().min(1, 'the file is empty') }),
      response: {
        200: z.object({
          imported: z.number().int(),
          created: z.array(z.object({ row: z.number().int(), id: z.uuid() })),
          errors: z.array(z.object({ row: z.number().int(), field: z.string().nullable(), message: z.string() })),
        }),
      },
    },
  }, async (request) => {
    const result = await importCustomers(db, request.orgId, request.body.csv, request.principal.userId);
    await withTenant(db, request.orgId, (trx) => recordAudit(trx, request.principal, {
      action: 'customers.imported', targetType: 'organisation', targetId: request.orgId, after: { imported: result.created.length, failedRows: new Set(result.errors.map((e) => e.row)).size },
    }));
    return { imported: result.created.length, ...result };
  });
}
