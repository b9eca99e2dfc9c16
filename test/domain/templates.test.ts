import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate, templatePlaceholders } from '../../src/domain/templates.js';

const REMINDER = 'Hi {customer_name}, your MOT is booked for {appointment_time}. See you then, {customer_name}!';

test('placeholders are listed once each, in order of first appearance', () => {
  assert.deepEqual(templatePlaceholders(REMINDER), ['customer_name', 'appointment_time']);
  assert.deepEqual(templatePlaceholders('{b} {a} {b} {c} {a}'), ['b', 'a', 'c']);
  assert.deepEqual(templatePlaceholders('No placeholders here.'), []);
  assert.deepEqual(templatePlaceholders(''), []);
});

test('placeholder names are lowercase, start with a letter, then letters, digits or _', () => {
  assert.deepEqual(templatePlaceholders('{a} {a1} {reg_no_2} {x_}'), ['a', 'a1', 'reg_no_2', 'x_']);
});

test('braces that are not placeholders are literal text', () => {
  const literal = '{Name} {NAME} { name } {name } {} {1} {1st} {_x} {first-name} {first.name} {né} { } {';
  assert.deepEqual(templatePlaceholders(literal), []);
  assert.deepEqual(renderTemplate(literal, {}), { ok: true, text: literal, ordered: [] });
  assert.deepEqual(templatePlaceholders('} {name {reg}'), ['reg']);
});

test('double braces: the inner {name} is a placeholder, the outer braces stay', () => {
  assert.deepEqual(templatePlaceholders('{{customer_name}}'), ['customer_name']);
  assert.deepEqual(renderTemplate('{{customer_name}}', { customer_name: 'Ann' }), { ok: true, text: '{Ann}', ordered: [{ name: 'customer_name', value: 'Ann' }] });
});

test('a complete set of values renders every occurrence, with parameters in first-appearance order', () => {
  assert.deepEqual(renderTemplate(REMINDER, { appointment_time: 'Tue 10:30', customer_name: 'Sam' }), {
    ok: true,
    text: 'Hi Sam, your MOT is booked for Tue 10:30. See you then, Sam!',
    ordered: [{ name: 'customer_name', value: 'Sam' }, { name: 'appointment_time', value: 'Tue 10:30' }],
  });
});

test('a body without placeholders renders as itself with no parameters', () => {
  assert.deepEqual(renderTemplate('Your car is ready.', {}), { ok: true, text: 'Your car is ready.', ordered: [] });
});

test('missing values are reported in placeholder order', () => {
  assert.deepEqual(renderTemplate('{c} {a} {b}', { a: 'x' }), { ok: false, missing: ['c', 'b'], extra: [], empty: [] });
  assert.deepEqual(renderTemplate(REMINDER, {}), { ok: false, missing: ['customer_name', 'appointment_time'], extra: [], empty: [] });
});

test('extra params are rejected, in params order', () => {
  assert.deepEqual(renderTemplate('Hi {name}', { name: 'Sam', zeta: '1', alpha: '2' }), { ok: false, missing: [], extra: ['zeta', 'alpha'], empty: [] });
  assert.deepEqual(renderTemplate('No placeholders', { name: 'Sam' }), { ok: false, missing: [], extra: ['name'], empty: [] });
});

test('empty and whitespace-only values are blank', () => {
  for (const blank of ['', ' ', '\t\n', '\u00a0']) {
    assert.deepEqual(renderTemplate('Hi {name}', { name: blank }), { ok: false, missing: [], extra: [], empty: ['name'] }, JSON.stringify(blank));
  }
});

test('missing, extra and empty are all reported together', () => {
  assert.deepEqual(renderTemplate('{a} {b} {c}', { b: '  ', d: 'x', c: 'ok' }), { ok: false, missing: ['a'], extra: ['d'], empty: ['b'] });
});

test('a non-string value counts as missing', () => {
  const params = { name: undefined } as unknown as Record<string, string>;
  assert.deepEqual(renderTemplate('Hi {name}', params), { ok: false, missing: ['name'], extra: [], empty: [] });
});

test('inherited object keys are not values', () => {
  assert.deepEqual(renderTemplate('{constructor} {to_string}', {}), { ok: false, missing: ['constructor', 'to_string'], extra: [], empty: [] });
  assert.deepEqual(renderTemplate('{constructor}', { constructor: 'C' }), { ok: true, text: 'C', ordered: [{ name: 'constructor', value: 'C' }] });
});

test('values are inserted verbatim and never expanded again', () => {
  const result = renderTemplate('{a} and {b}', { a: '{b}', b: '$& $1 $$ ' });
  assert.deepEqual(result, { ok: true, text: '{b} and $& $1 $$ ', ordered: [{ name: 'a', value: '{b}' }, { name: 'b', value: '$& $1 $$ ' }] });
});

test('repeated calls give the same result (no shared regex state)', () => {
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(templatePlaceholders('{x} {y}'), ['x', 'y']);
    assert.equal(renderTemplate('{x}', { x: '1' }).ok, true);
  }
});
