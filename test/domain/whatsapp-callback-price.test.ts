/**
 * Pricing a WhatsApp message from Meta's status callback: free when Meta
 * says so (not billable, free customer-service or entry-point window), the
 * table's price of the category otherwise, nothing without a category.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PRICE_TABLE, whatsAppCallbackPrice } from '../../src/domain/message-prices.js';

const table = DEFAULT_PRICE_TABLE;

test('a billable marketing, utility or authentication template costs the table price of its category', () => {
  assert.deepEqual(whatsAppCallbackPrice({ billable: true, pricing_model: 'PMP', category: 'marketing', type: 'regular' }, table), { amount: '0.052900', currency: 'GBP' });
  assert.deepEqual(whatsAppCallbackPrice({ billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' }, table), { amount: '0.022000', currency: 'GBP' });
  assert.deepEqual(whatsAppCallbackPrice({ pricing_model: 'PMP', category: 'authentication_international', type: 'regular' }, table), { amount: '0.035800', currency: 'GBP' });
});

test('what Meta does not bill is free: billable false, free_customer_service, free_entry_point', () => {
  assert.deepEqual(whatsAppCallbackPrice({ billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' }, table), { amount: '0.000000', currency: 'GBP' });
  assert.deepEqual(whatsAppCallbackPrice({ pricing_model: 'PMP', category: 'utility', type: 'free_customer_service' }, table), { amount: '0.000000', currency: 'GBP' });
  assert.deepEqual(whatsAppCallbackPrice({ pricing_model: 'PMP', category: 'marketing', type: 'free_entry_point' }, table), { amount: '0.000000', currency: 'GBP' });
});

test('no pricing object or an unknown category gives no price', () => {
  assert.equal(whatsAppCallbackPrice(undefined, table), null);
  assert.equal(whatsAppCallbackPrice({ billable: true, category: 'marketing_lite_v9' }, table), null);
});
