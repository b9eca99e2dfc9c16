/** Saving one settings card: busy flag, the API's error message, and a "Saved" confirmation. */
import { useState } from 'react';
import { ApiError } from '../api/client';

export type SaveState = { saving: boolean; error: string | null; saved: boolean };

export function useSave(): SaveState & { run(fn: () => Promise<unknown>): Promise<void>; fail(message: string): void; clear(): void } {
  const [state, setState] = useState<SaveState>({ saving: false, error: null, saved: false });
  return {
    ...state,
    fail: (message) => setState({ saving: false, error: message, saved: false }),
    clear: () => setState({ saving: false, error: null, saved: false }),
    run: async (fn) => {
      setState({ saving: true, error: null, saved: false });
      try {
        await fn();
        setState({ saving: false, error: null, saved: true });
      } catch (err) {
        setState({ saving: false, error: err instanceof ApiError ? err.message : 'Could not save. Check your connection and try again.', saved: false });
      }
    },
  };
}

/** The card's footer line: the error (alert) or "Saved" (status). */
export function SaveStatus({ state }: { state: SaveState }) {
  if (state.error) return <p className="field-error" role="alert">{state.error}</p>;
  if (state.saved) return <p className="save-ok" role="status">Saved</p>;
  return null;
}

/** A settings card's footer: the submit button (`busyLabel` while saving) and the save status. */
export function CardSave({ state, label = 'Save', busyLabel = 'Saving…' }: { state: SaveState; label?: string; busyLabel?: string }) {
  return (
    <div className="card-actions">
      <button type="submit" className="btn btn-primary" disabled={state.saving}>{state.saving ? busyLabel : label}</button>
      <SaveStatus state={state} />
    </div>
  );
}

/** `text` as a whole number within [min, max], or null when it is not one (a settings field checked before it is sent; the server checks again). */
export function wholeNumberIn(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}
