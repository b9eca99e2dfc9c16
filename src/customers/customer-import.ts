/**
 * CSV import of customers with their consent (issue 12 item 3; README
 * "Customer import format"). A header row names the columns, in any order
 * and case: `name` (required), `phone`, `email`, `external_id`,
 * `registrations` (several separated by `;`), and `consent_transactional`,
 * `consent_service_reminders`, `consent_marketing`, `consent_whatsapp`
 * (yes/no, y/n, true/false, 1/0; empty: the garage's default).
 *
 * Every row is checked (the same zod rules as the directory's form) and
 * stored on its own (a savepoint per row, 100 rows a transaction): a row with any problem — a bad field, a
 * phone another customer (or an earlier row) has, an external id already
 * used — is reported as `{row, field, message}` and stores nothing, while
 * good rows are stored. A stored row is created like any customer (four
 * consent rows from the garage's defaults, audited), then each consent
 * column that differs from that default is applied with source `import`
 * and the importing user as performed_by, audited.
 */
import { parse } from 'csv-parse/sync';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { ConsentCategory, Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { AppError } from '../server/errors.js';
import { createCustomer, type NewCustomer } from './create-customer.js';
import { customerInput } from './customer-input.js';

/** Data rows per file at most. */
export const IMPORT_MAX_ROWS = 5000;
/** Rows stored per transaction (each in its own savepoint). */
const CHUNK = 100;

const CONSENT_COLUMNS: Record<string, ConsentCategory> = {
  consent_transactional: 'transactional', consent_service_reminders: 'service_reminders', consent_marketing: 'marketing', consent_whatsapp: 'whatsapp',
};
export const IMPORT_COLUMNS = ['name', 'phone', 'email', 'external_id', 'registrations', ...Object.keys(CONSENT_COLUMNS)] as const;

export type ImportError = { row: number; field: string | null; message: string };
export type ParsedRow = { row: number; customer: NewCustomer; consents: Partial<Record<ConsentCategory, boolean>> };

const YES = new Set(['yes', 'y', 'true', '1', 'on']);
const NO = new Set(['no', 'n', 'false', '0', 'off']);

const externalId = z.string().trim().max(100).nullish().transform((v) => v || null);

/**
 * Parse and check a file without touching the database. Pure.
 * `row` numbers are the file's line numbers as a spreadsheet shows them (the header is row 1).
 * @throws AppError 400 import_invalid when the file cannot be read as CSV, has no `name` column, names an unknown column, or has too many rows
 */
export function parseCustomerCsv(text: string): { rows: ParsedRow[]; errors: ImportError[] } {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_')),
    });
  } catch (e) {
    throw new AppError('import_invalid', `The file is not readable as CSV: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (records.length > IMPORT_MAX_ROWS) throw new AppError('import_invalid', `At most ${IMPORT_MAX_ROWS} customers per file; this one has ${records.length}.`);
  const header = records[0] ? Object.keys(records[0].record) : firstLine(text);
  const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) throw new AppError('import_invalid', `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}: the columns are ${IMPORT_COLUMNS.join(', ')}.`);
  if (!header.includes('name')) throw new AppError('import_invalid', 'The header row needs a "name" column.');

  const rows: ParsedRow[] = [];
  const errors: ImportError[] = [];
  for (const { record, info } of records) {
    const row = info.lines;
    const rowErrors: ImportError[] = [];
    const checked = customerInput.safeParse({
      name: record.name ?? '', phone: record.phone || null, email: record.email || null,
      vehicles: (record.registrations ?? '').split(';').map((r) => r.trim()).filter(Boolean).map((registration) => ({ registration })),
    });
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const field = issue.path[0] === 'vehicles' ? 'registrations' : String(issue.path[0] ?? '');
        rowErrors.push({ row, field: field || null, message: issue.message });
      }
    }
    const ext = externalId.safeParse(record.external_id);
    if (!ext.success) rowErrors.push({ row, field: 'external_id', message: 'at most 100 characters' });
    const consents: ParsedRow['consents'] = {};
    for (const [column, category] of Object.entries(CONSENT_COLUMNS)) {
      const value = (record[column] ?? '').toLowerCase();
      if (!value) continue;
      if (YES.has(value)) consents[category] = true;
      else if (NO.has(value)) consents[category] = false;
      else rowErrors.push({ row, field: column, message: `"${record[column]}" is not yes or no` });
    }
    if (rowErrors.length || !checked.success || !ext.success) { errors.push(...rowErrors); continue; }
    rows.push({ row, customer: { ...checked.data, externalId: ext.data }, consents });
  }
  return { rows, errors };
}

function firstLine(text: string): string[] {
  return (text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
}

/**
 * Import a file: every good row stored (own savepoint), every problem reported.
 * @param performedById the importing staff user (null for an API token), recorded on the consent changes
 * @returns the rows created (row → customer id) and the errors, by row
 */
export async function importCustomers(db: Kysely<Database>, orgId: string, text: string, performedById: string | null): Promise<{ created: Array<{ row: number; id: string }>; errors: ImportError[] }> {
  const parsed = parseCustomerCsv(text);
  const created: Array<{ row: number; id: string }> = [];
  const errors = [...parsed.errors];
  for (let start = 0; start < parsed.rows.length; start += CHUNK) {
    await withTenant(db, orgId, async (trx) => {
      for (const r of parsed.rows.slice(start, start + CHUNK)) {
        // A savepoint per row: a refused row is undone alone, the chunk's other rows commit.
        await sql`SAVEPOINT import_row`.execute(trx);
        try {
          const id = await createCustomer(trx, orgId, r.customer, { consents: r.consents, consentActor: { source: 'import', performedById } });
          await sql`RELEASE SAVEPOINT import_row`.execute(trx);
          created.push({ row: r.row, id });
        } catch (e) {
          await sql`ROLLBACK TO SAVEPOINT import_row`.execute(trx);
          errors.push(storeError(r.row, e));
        }
      }
    });
  }
  errors.sort((a, b) => a.row - b.row);
  return { created, errors };
}

/** A row the database refused, as the user should read it. */
function storeError(row: number, e: unknown): ImportError {
  if (e instanceof AppError && e.code === 'duplicate_phone') return { row, field: 'phone', message: 'another customer already has this phone number' };
  const pg = e as { code?: string; constraint?: string };
  if (pg.code === '23505' && pg.constraint === 'customers_org_external_id') return { row, field: 'external_id', message: 'another customer already has this external id' };
  throw e;
}
