import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_QUERY_LENGTH, parseSearchQuery } from '../../src/domain/search-query.js';

test('a complete UK number typed any common way is one exact E.164 search', () => {
  for (const typed of [
    '07700 900123', '07700900123', '+44 7700 900123', '+447700900123', '0044 7700 900123',
    '(07700) 900-123', '07700.900.123', '07700/900123', '+44 (0) 7700 900123', '+44 (0)7700 900 123', ' 07700  900123 ',
  ]) {
    assert.deepEqual(parseSearchQuery(typed), {
      kind: 'phone', text: typed.replace(/\s+/g, ' ').trim(), e164: '+447700900123', needle: '+447700900123', anchored: true,
    }, typed);
  }
});

test('international and non-mobile numbers keep their own country and length', () => {
  assert.deepEqual(parseSearchQuery('+1 (415) 555-0123'), { kind: 'phone', text: '+1 (415) 555-0123', e164: '+14155550123', needle: '+14155550123', anchored: true });
  assert.deepEqual(parseSearchQuery('0800 123 4567'), { kind: 'phone', text: '0800 123 4567', e164: '+448001234567', needle: '+448001234567', anchored: true });
  assert.deepEqual(parseSearchQuery('020 7946 0018'), { kind: 'phone', text: '020 7946 0018', e164: '+442079460018', needle: '+442079460018', anchored: true });
});

test('the start of a number typed with a trunk or country prefix matches numbers beginning with it', () => {
  assert.deepEqual(parseSearchQuery('07700 9'), { kind: 'phone', text: '07700 9', e164: null, needle: '+4477009', anchored: true });
  assert.deepEqual(parseSearchQuery('0044 77'), { kind: 'phone', text: '0044 77', e164: null, needle: '+4477', anchored: true });
  assert.deepEqual(parseSearchQuery('+1 415'), { kind: 'phone', text: '+1 415', e164: null, needle: '+1415', anchored: true });
});

test('a bare digit run is found anywhere in a number', () => {
  for (const typed of ['900123', '900 123', '7700900123', '447700900123', '2024']) {
    assert.deepEqual(parseSearchQuery(typed), { kind: 'phone', text: typed, e164: null, needle: typed.replace(/\D/g, ''), anchored: false }, typed);
  }
});

test('digits no number can start with are searched as a digit run', () => {
  assert.deepEqual(parseSearchQuery('000123'), { kind: 'phone', text: '000123', e164: null, needle: '000123', anchored: false });
});

test('the organisation region decides what a national number means', () => {
  assert.deepEqual(parseSearchQuery('(415) 555-0123', 'US'), { kind: 'phone', text: '(415) 555-0123', e164: null, needle: '4155550123', anchored: false });
  assert.deepEqual(parseSearchQuery('0412 345 678', 'AU'), { kind: 'phone', text: '0412 345 678', e164: '+61412345678', needle: '+61412345678', anchored: true });
});

test('fewer than three digits are too short for a phone search and are searched as text', () => {
  for (const typed of ['12', '+44', '+3', '7']) assert.deepEqual(parseSearchQuery(typed), { kind: 'text', text: typed }, typed);
});

test('names and keywords are text, trimmed with spaces collapsed', () => {
  assert.deepEqual(parseSearchQuery('  Jon \t Smth \n'), { kind: 'text', text: 'Jon Smth' });
  assert.deepEqual(parseSearchQuery('brake pads'), { kind: 'text', text: 'brake pads' });
  assert.deepEqual(parseSearchQuery('"brake pads" -quote'), { kind: 'text', text: '"brake pads" -quote' });
  assert.deepEqual(parseSearchQuery('WO-1042'), { kind: 'text', text: 'WO-1042' });
  assert.deepEqual(parseSearchQuery('Zoë O\'Brien'), { kind: 'text', text: 'Zoë O\'Brien' });
  assert.deepEqual(parseSearchQuery('07700 900123 Jon'), { kind: 'text', text: '07700 900123 Jon' });
});

test('text with nothing to search for searches nothing', () => {
  for (const typed of ['', '   ', '\n\t', '!!!', '()-+', '*']) assert.deepEqual(parseSearchQuery(typed), { kind: 'none' }, JSON.stringify(typed));
});

test('very long text is cut to the maximum length', () => {
  const long = `${'brakes '.repeat(100)}end`;
  const parsed = parseSearchQuery(long);
  assert.equal(parsed.kind, 'text');
  assert.ok(parsed.kind === 'text' && parsed.text.length <= MAX_QUERY_LENGTH);
  assert.ok(parsed.kind === 'text' && parsed.text.startsWith('brakes brakes') && !parsed.text.endsWith(' '));
});
