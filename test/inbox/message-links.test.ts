/** Links in message text (web/src/lib/links.ts): what becomes a link and what stays text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkSegments } from '../../web/src/lib/links.js';

const links = (body: string) => linkSegments(body).filter((s) => s.kind === 'link').map((s) => (s as { href: string }).href);

test('http, https and www links are found; www gets https', () => {
  assert.deepEqual(links('See https://acme.example/booking?day=2 or www.acme.example/faq'), ['https://acme.example/booking?day=2', 'https://www.acme.example/faq']);
  assert.deepEqual(links('http://localhost:3000/x'), ['http://localhost:3000/x']);
});

test('sentence punctuation and unbalanced brackets after a link stay text', () => {
  assert.deepEqual(links('Pay at https://pay.example/inv/42.'), ['https://pay.example/inv/42']);
  assert.deepEqual(links('(details: https://acme.example/a)'), ['https://acme.example/a']);
  assert.deepEqual(links('https://en.wikipedia.org/wiki/Ford_(car)!'), ['https://en.wikipedia.org/wiki/Ford_(car)']);
  assert.deepEqual(linkSegments('Go to https://a.example/x, then call.'), [
    { kind: 'text', text: 'Go to ' }, { kind: 'link', text: 'https://a.example/x', href: 'https://a.example/x' }, { kind: 'text', text: ', then call.' },
  ]);
});

test('no scheme or www, no link; other schemes are never links; text is kept whole', () => {
  assert.deepEqual(linkSegments('Your car is ready.'), [{ kind: 'text', text: 'Your car is ready.' }]);
  assert.deepEqual(links('javascript:alert(1) and data:text/html,x'), []);
  assert.deepEqual(linkSegments(''), []);
  const body = 'a https://x.example/1 b https://y.example/2 c';
  assert.equal(linkSegments(body).map((s) => s.text).join(''), body);
});
