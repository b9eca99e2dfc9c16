/**
 * A date field typed as dd/mm/yyyy (web/src/lib/uk-date.ts), for the
 * garage's dates whatever the browser's language. `value` and `onChange`
 * speak ISO (yyyy-mm-dd, "" when empty or not a date yet); the text the
 * person types is kept while it is incomplete.
 */
import { useEffect, useState } from 'react';
import { formatUkDate, parseUkDate } from '../lib/uk-date';

export function UkDateField({ label, value, onChange }: { label: string; value: string; onChange(iso: string): void }) {
  const [text, setText] = useState(formatUkDate(value));
  useEffect(() => {
    if (parseUkDate(text) !== (value || null)) setText(formatUkDate(value));
    // Only a new value from outside (a remembered range) replaces what is typed.
  }, [value]);
  const invalid = text.trim() !== '' && parseUkDate(text) === null;
  return (
    <label>
      <span>{label}</span>
      <input type="text" inputMode="numeric" placeholder="dd/mm/yyyy" autoComplete="off" value={text} aria-invalid={invalid || undefined}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseUkDate(e.target.value) ?? '');
        }} />
    </label>
  );
}
