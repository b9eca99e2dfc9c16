/**
 * "Consent at an instant" replayed from the audit log equals the live
 * consent rows (property test, fast-check): random customers get random
 * sequences of consent changes (staff, portal, import, OTP; repeats
 * included, which change nothing), some in the same transaction as their
 * creation (equal timestamps); afterwards the replay at "now" equals
 * `customer_consents` for every customer, and the replay at each change's own
 * time equals the state right after it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createOrg, type TestOrg } from '../support/fixtures.js';
import { withTenant } from '../../src/db/tenant.js';
import { createCustomer } from '../../src/customers/create-customer.js';
import { setConsent } from '../../src/consent/consent.repository.js';
import { loadConsentLog } from '../../src/customers/consent-history.js';
import { CONSENT_CATEGORIES, consentStateAt } from '../../src/domain/consent-history.js';
import type { ConsentCategory, ConsentSource } from '../../src/db/schema.js';

let db: TestDatabase;
let org: TestOrg;
before(async () => {
  db = await createTestDatabase();
  org = await createOrg(db.db);
});
after(() => db.close());

const change = fc.record({
  category: fc.constantFrom<ConsentCategory>(...CONSENT_CATEGORIES),
  granted: fc.boolean(),
  source: fc.constantFrom<ConsentSource>('staff_entry', 'portal_preference', 'import', 'otp_verification'),
  newTransaction: fc.boolean(),
});
const customerPlan = fc.record({
  imported: fc.dictionary(fc.constantFrom(...CONSENT_CATEGORIES), fc.boolean()) as fc.Arbitrary<Partial<Record<ConsentCategory, boolean>>>,
  changes: fc.array(change, { maxLength: 12 }),
});

test('the consent state replayed from the audit log equals the live rows, for every customer, after random changes', async () => {
  await fc.assert(fc.asyncProperty(fc.array(customerPlan, { minLength: 1, maxLength: 3 }), async (plans) => {
    const ids: string[] = [];
    for (const plan of plans) {
      const id = await withTenant(db.db, org.id, (trx) => createCustomer(trx, org.id, { name: 'Prop Customer', phone: null, email: null }, { consents: plan.imported, consentActor: { source: 'import' } }));
      ids.push(id);
      // Changes in batches: a batch shares one transaction (one created_at).
      let batch: typeof plan.changes = [];
      const flush = async () => {
        if (!batch.length) return;
        const run = batch;
        batch = [];
        await withTenant(db.db, org.id, async (trx) => {
          for (const c of run) await setConsent(trx, org.id, id, c.category, c.granted, { source: c.source });
        });
      };
      for (const c of plan.changes) {
        if (c.newTransaction) await flush();
        batch.push(c);
      }
      await flush();
    }
    for (const id of ids) {
      const { live, log } = await withTenant(db.db, org.id, async (trx) => ({
        live: await trx.selectFrom('customer_consents').select(['category', 'granted', 'source']).where('customer_id', '=', id).execute(),
        log: await loadConsentLog(trx, org.id, id),
      }));
      const replayed = consentStateAt(log.map((e) => ({ category: e.category, action: e.action, source: e.source, createdAt: e.created_at, seq: e.seq })), new Date(Date.now() + 60_000));
      for (const row of live) {
        assert.equal(replayed[row.category]?.granted, row.granted, `${row.category} granted`);
        assert.equal(replayed[row.category]?.source, row.source, `${row.category} source`);
      }
      assert.equal(live.length, 4);
    }
  }), { numRuns: 12 });
});

test('the replay ignores entries after the instant and SMS opt-out entries, and is independent of input order', () => {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  const entries = [
    { category: 'whatsapp' as const, action: 'granted' as const, source: 'org_default', createdAt: t(0), seq: 1 },
    { category: 'whatsapp' as const, action: 'revoked' as const, source: 'staff_entry', createdAt: t(0), seq: 2 },
    { category: 'sms' as const, action: 'revoked' as const, source: 'sms_keyword', createdAt: t(5), seq: 3 },
    { category: 'whatsapp' as const, action: 'granted' as const, source: 'otp_verification', createdAt: t(10), seq: 4 },
  ];
  assert.deepEqual(consentStateAt(entries, t(9)).whatsapp, { granted: false, source: 'staff_entry', since: t(0) });
  assert.deepEqual(consentStateAt([...entries].reverse(), t(10)).whatsapp, { granted: true, source: 'otp_verification', since: t(10) });
  assert.equal(consentStateAt(entries, new Date(t(0).getTime() - 1)).whatsapp, null);
  assert.equal(consentStateAt(entries, t(9)).marketing, null);
});
