/**
 * Dates typed and shown the way a UK garage writes them (issue 12 item 10:
 * "dates show as mm/dd/yyyy in a UK garage's app"): dd/mm/yyyy, and
 * dd/mm/yyyy hh:mm[:ss] for an instant. Native date inputs follow the
 * browser's language, not the garage's, so the app uses text fields with
 * these rules. Pure.
 */

const pad = (n: number) => String(n).padStart(2, '0');

function validDay(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** "1/2/2026", "01/02/2026", "01-02-2026", "01.02.2026" → "2026-02-01"; anything else (or 31/02) → null. */
export function parseUkDate(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDay(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : null;
}

/** "2026-02-01" → "01/02/2026"; "" → "". */
export function formatUkDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/**
 * "01/02/2026 14:30" or "01/02/2026 14:30:05" → "2026-02-01T14:30:00" / "…T14:30:05"
 * (a local date-time, as `new Date()` reads it); anything else → null.
 */
export function parseUkDateTime(text: string): string | null {
  const m = /^\s*(\S+)\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(text);
  if (!m) return null;
  const day = parseUkDate(m[1]!);
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (!day || h > 23 || mi > 59 || s > 59) return null;
  return `${day}T${pad(h)}:${pad(mi)}:${pad(s)}`;
}
