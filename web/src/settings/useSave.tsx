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
