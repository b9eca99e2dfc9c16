import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGsm7, smsSegments } from '../../src/domain/sms-segments.js';

const r = (s: string, n: number) => s.repeat(n);

test('reference §10 vectors: encoding and segment count', () => {
  const vectors: Array<[label: string, text: string, encoding: 'GSM-7' | 'UCS-2', segments: number]> = [
    ['a×160', r('a', 160), 'GSM-7', 1],
    ['a×161', r('a', 161), 'GSM-7', 2],
    ['a×306', r('a', 306), 'GSM-7', 2],
    ['a×307', r('a', 307), 'GSM-7', 3],
    ['€×80 (160 septets)', r('€', 80), 'GSM-7', 1],
    ['€×81 (162 septets)', r('€', 81), 'GSM-7', 2],
    ['^ + a×159 (161 septets)', '^' + r('a', 159), 'GSM-7', 2],
    ['é×160', r('é', 160), 'GSM-7', 1],
    ['Á×70', r('Á', 70), 'UCS-2', 1],
    ['Á×71', r('Á', 71), 'UCS-2', 2],
    ['Á×134', r('Á', 134), 'UCS-2', 2],
    ['Á×135', r('Á', 135), 'UCS-2', 3],
    ['😀×35', r('😀', 35), 'UCS-2', 1],
    ['😀×36', r('😀', 36), 'UCS-2', 2],
    ['curly quotes, no Smart Encoding', '“hi”', 'UCS-2', 1],
    ['😜 + 68 chars (70 units)', '😜' + r('1', 68), 'UCS-2', 1],
    ['😜 + 69 chars (71 units)', '😜' + r('1', 69), 'UCS-2', 2],
    ['🇮🇹 + 66 digits (70 units)', '🇮🇹' + r('1', 66), 'UCS-2', 1],
    ['🏳️‍🌈 + 64 digits (70 units)', '🏳️‍🌈' + r('1', 64), 'UCS-2', 1],
  ];
  for (const [label, text, encoding, segments] of vectors) {
    const count = smsSegments(text);
    assert.equal(count.encoding, encoding, label);
    assert.equal(count.segments, segments, label);
  }
});

test('every extension character costs two septets: + 158 digits fits, + 159 does not', () => {
  for (const ext of ['^', '{', '}', '\\', '[', '~', ']', '|', '€', '\f']) {
    assert.deepEqual(smsSegments(ext + r('1', 158)), { encoding: 'GSM-7', segments: 1, units: 160, characters: 159 }, JSON.stringify(ext));
    assert.deepEqual(smsSegments(ext + r('1', 159)), { encoding: 'GSM-7', segments: 2, units: 161, characters: 160 }, JSON.stringify(ext));
  }
});

test('units are septets for GSM-7 and UTF-16 code units for UCS-2; characters are graphemes', () => {
  assert.deepEqual(smsSegments(r('€', 80)), { encoding: 'GSM-7', segments: 1, units: 160, characters: 80 });
  assert.deepEqual(smsSegments(r('😀', 35)), { encoding: 'UCS-2', segments: 1, units: 70, characters: 35 });
  assert.deepEqual(smsSegments(r('Á', 71)), { encoding: 'UCS-2', segments: 2, units: 71, characters: 71 });
  assert.deepEqual(smsSegments('🏳️‍🌈'), { encoding: 'UCS-2', segments: 1, units: 6, characters: 1 });
});

test('one non-GSM character switches the whole message to UCS-2 and its 70-unit limit', () => {
  assert.deepEqual(smsSegments(r('a', 70)), { encoding: 'GSM-7', segments: 1, units: 70, characters: 70 });
  assert.equal(smsSegments(r('a', 69) + 'ç').segments, 1);
  assert.equal(smsSegments(r('a', 70) + 'ç').encoding, 'UCS-2');
  assert.equal(smsSegments(r('a', 70) + 'ç').segments, 2);
});

test('an empty text is one GSM-7 segment of zero units', () => {
  assert.deepEqual(smsSegments(''), { encoding: 'GSM-7', segments: 1, units: 0, characters: 0 });
});

test('isGsm7 accepts the basic and extension tables and rejects anything else', () => {
  for (const ok of ['', 'Hello', '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ', '!"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà', '^{}\\[~]|€', 'line\nbreak']) {
    assert.equal(isGsm7(ok), true, ok);
  }
  for (const bad of ['ç', 'Á', 'Ć', '“', '’', '😀', '`', '\t', '\u00a0', 'e\u0301']) assert.equal(isGsm7(bad), false, JSON.stringify(bad));
});
