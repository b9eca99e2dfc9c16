/** The SAR cover page (src/customers/sar/sar-cover.ts) and the download's file name. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sarCoverPage } from '../../src/customers/sar/sar-cover.js';
import { sarFileName } from '../../src/api/customers/sar.routes.js';

const input = {
  organisationName: 'Acme Motors', customerName: 'Grace Evans', customerId: 'c-1', generatedAt: new Date('2026-12-02T10:00:00Z'),
  files: [{ name: 'csv/messages.csv', records: 1, describes: 'messages' }, { name: 'data.json', records: null, describes: 'all' }], aiUsed: true,
};

test('the cover page names everything the ICO lists for a SAR response', () => {
  const page = sarCoverPage(input);
  for (const needed of [/Article 15/, /Data controller: Acme Motors/, /purposes/i, /Categories of data/, /Twilio/, /Meta Platforms/, /retention/i,
    /rectification/, /erasure/, /restrict/, /object/, /Information\s+Commissioner/, /Where the data came from/, /AI receptionist/, /2026-12-02T10:00:00.000Z/]) {
    assert.match(page, needed);
  }
  assert.match(page, /csv\/messages\.csv \(1 record\): messages/);
  assert.match(page, /data\.json: all/);
});

test('the automated-processing paragraph says whether the AI receptionist has handled the customer', () => {
  assert.match(sarCoverPage(input), /Acme Motors uses an AI receptionist/);
  const unused = sarCoverPage({ ...input, aiUsed: false });
  assert.match(unused, /can use an AI receptionist/);
  assert.match(unused, /\(none so far\)/);
});

test('the file name is the customer name made safe, and the date', () => {
  assert.equal(sarFileName('Grace  Évans-O\'Neil', new Date('2026-12-02T23:00:00Z')), 'sar-grace-evans-o-neil-2026-12-02.zip');
  assert.equal(sarFileName('"../../etc"', new Date('2026-12-02T00:00:00Z')), 'sar-etc-2026-12-02.zip');
  assert.equal(sarFileName('李', new Date('2026-12-02T00:00:00Z')), 'sar-customer-2026-12-02.zip');
});
