/**
 * CSV cells safe to open in a spreadsheet (OWASP "CSV injection"): a cell
 * starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by
 * Excel, LibreOffice and Sheets as a formula, so it is prefixed with a single
 * quote, which they show as text. Quoting and escaping are csv-stringify's.
 */
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell value as text, with a leading `'` when it would start a formula. Null and undefined → ''. Dates → ISO-8601 (UTC). Objects → JSON. */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString()
    : typeof value === 'object' ? JSON.stringify(value)
      : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One CSV document (header row, then a row per record, CRLF line ends) of
 * `columns` picked from each record, every cell through `safeCell`.
 */
export function toSafeCsv(records: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): string {
  return stringify(records.map((r) => columns.map((c) => safeCell(r[c]))), { header: true, columns: [...columns], record_delimiter: 'windows' });
}
