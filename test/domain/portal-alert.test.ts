import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portalAlertText } from '../../src/domain/portal-alert.js';

const URL = 'https://garage.example/messages?conversation=c1';

test('the alert names the customer, quotes the first words and links to the thread', () => {
  assert.equal(portalAlertText({ orgName: 'Acme Motors', customerName: 'Sam Jones', body: 'Is my car ready?', photos: 0, threadUrl: URL }),
    `Acme Motors: new portal message from Sam Jones: "Is my car ready?" ${URL}`);
});

test('a long message is cut at a word boundary; photos are counted; no name says "a customer"', () => {
  const text = portalAlertText({ orgName: 'Acme', customerName: null, body: 'There is a grinding noise from the front left wheel whenever I brake at low speed, see photos', photos: 3, threadUrl: URL });
  assert.equal(text, `Acme: new portal message from a customer: "There is a grinding noise from the front left wheel…" (+3 photos) ${URL}`);
  assert.equal(portalAlertText({ orgName: 'Acme', customerName: 'Sam', body: '', photos: 1, threadUrl: URL }), `Acme: new portal message from Sam: 1 photo ${URL}`);
});
