/**
 * Import customers from a CSV file (POST /v1/customers/import): the chosen
 * file's text is sent as is; the answer lists how many were imported and
 * each bad row's problems (row number, column, message) — bad rows store
 * nothing, so the user fixes them and imports just those rows again.
 * The format is the README's "Customer import format".
 */
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { importCustomers, type ImportResult } from '../api/customers';
import { Dialog } from '../shell/Dialog';

const COLUMNS = 'name, phone, email, external_id, registrations (";"-separated), consent_transactional, consent_service_reminders, consent_marketing, consent_whatsapp (yes/no; empty = default)';

export function ImportDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await importCustomers(await file.text());
      setResult(r);
      void client.invalidateQueries({ queryKey: ['customers'] });
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not import the file.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title="Import customers" onClose={onClose} className="import-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <p className="import-format">A CSV file with a header row. Columns: {COLUMNS}. Each row is imported on its own: a row with a problem is listed below and nothing from it is stored.</p>
        <label>CSV file <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></label>
        {error ? <p className="error-box" role="alert">{error}</p> : null}
        {result ? (
          <div role="status" className="import-result">
            <p className={result.errors.length ? 'error-box' : 'success-box'}>
              Imported {result.imported} customer{result.imported === 1 ? '' : 's'}.
              {result.errors.length ? ` ${new Set(result.errors.map((x) => x.row)).size} row(s) not imported:` : ''}
            </p>
            {result.errors.length ? (
              <ul className="import-errors" aria-label="Rows not imported">
                {result.errors.map((x, i) => <li key={i}>Row {x.row}{x.field ? `, ${x.field}` : ''}: {x.message}</li>)}
              </ul>
            ) : null}
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>Close</button>
          <button type="submit" className="btn btn-primary" disabled={!file || busy}>Import</button>
        </div>
      </form>
    </Dialog>
  );
}
