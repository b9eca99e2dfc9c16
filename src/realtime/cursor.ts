/**
 * Positions in the real-time event log (`inbox_events`, migration 0005).
 * Events are delivered in (tx, id) order: `tx` is the id of the transaction
 * that wrote the event (xid8), `id` its identity value. A cursor names the
 * last event a client has seen; it travels as the SSE `id:` field and comes
 * back as `Last-Event-ID` (spec: messaging-inbox.txt, "the inbox updates in
 * real time"; issue 5 item 7).
 *
 * Wire form: `"<tx>-<id>"`, both unsigned decimal integers, e.g. `"7342-18"`.
 */

/** A position in the log; both parts are unsigned 64-bit integers. */
export type Cursor = { tx: bigint; id: bigint };

/** The position before every event. */
export const START: Cursor = { tx: 0n, id: 0n };

const WIRE = /^(\d{1,20})-(\d{1,19})$/;
const MAX_U64 = 2n ** 64n - 1n;

/** The wire form of `cursor`, e.g. `"7342-18"`. */
export function formatCursor(cursor: Cursor): string {
  return `${cursor.tx}-${cursor.id}`;
}

/**
 * Read a cursor from its wire form.
 * @returns null when `text` is not `<tx>-<id>` with both parts in range
 */
export function parseCursor(text: string): Cursor | null {
  const match = WIRE.exec(text.trim());
  if (!match) return null;
  const tx = BigInt(match[1]!);
  const id = BigInt(match[2]!);
  if (tx > MAX_U64 || id > MAX_U64 / 2n) return null;
  return { tx, id };
}

/** Negative when `a` comes before `b`, zero when equal, positive after. */
export function compareCursors(a: Cursor, b: Cursor): number {
  if (a.tx !== b.tx) return a.tx < b.tx ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}
