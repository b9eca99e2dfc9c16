/**
 * PostgreSQL `text` cannot hold U+0000. A customer message carrying one is
 * stored without it rather than rejected, so it is never lost.
 */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}
