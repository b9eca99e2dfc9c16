/**
 * Event ids on the wire (src/realtime/cursor.ts): `<tx>-<id>`, compared in
 * (tx, id) order; anything else is refused rather than guessed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareCursors, formatCursor, parseCursor } from '../../src/realtime/cursor.js';

test('an id round-trips through its wire form', () => {
  const cursor = { tx: 18446744073709551615n, id: 42n };
  assert.deepEqual(parseCursor(formatCursor(cursor)), cursor);
  assert.deepEqual(parseCursor(' 7342-18 '), { tx: 7342n, id: 18n });
});

test('malformed or out-of-range ids are refused', () => {
  for (const text of ['', '12', '12-', '-5', 'a-b', '1-2-3', '1.5-2', '18446744073709551616-1', '1-9223372036854775808', '0x10-1']) {
    assert.equal(parseCursor(text), null, text);
  }
});

test('ids order by transaction, then by event id', () => {
  assert.ok(compareCursors({ tx: 9n, id: 500n }, { tx: 10n, id: 1n }) < 0);
  assert.ok(compareCursors({ tx: 10n, id: 2n }, { tx: 10n, id: 1n }) > 0);
  assert.equal(compareCursors({ tx: 10n, id: 1n }, { tx: 10n, id: 1n }), 0);
});
