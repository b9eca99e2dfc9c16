/** Formula-injection-safe CSV cells (src/customers/sar/csv-safe.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { safeCell, toSafeCsv } from '../../src/customers/sar/csv-safe.js';

test('cells a spreadsheet would run as a formula get a leading apostrophe', () => {
  for (const start of ['=', '+', '-', '@', '\t', '\r']) assert.equal(safeCell(`${start}SUM(A1)`), `'${start}SUM(A1)`);
  assert.equal(safeCell('+447700900123'), "'+447700900123");
});

test('other cells are left as they are; null is empty, dates are ISO-8601, objects JSON', () => {
  assert.equal(safeCell('Brake pads = £80'), 'Brake pads = £80');
  assert.equal(safeCell(null), '');
  assert.equal(safeCell(undefined), '');
  assert.equal(safeCell(42), '42');
  assert.equal(safeCell(new Date('2026-12-02T10:00:00Z')), '2026-12-02T10:00:00.000Z');
  assert.equal(safeCell([{ a: 1 }]), '[{"a":1}]');
});

test('a CSV round-trips through a parser with quotes, commas and newlines intact', () => {
  const csv = toSafeCsv([{ body: 'Hi, "Grace"\nsee you', n: 1 }, { body: '=1+1', n: 2 }], ['body', 'n']);
  assert.deepEqual(parse(csv, { columns: true }), [{ body: 'Hi, "Grace"\nsee you', n: '1' }, { body: "'=1+1", n: '2' }]);
});
