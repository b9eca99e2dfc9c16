import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeBridgeSms, gsmSafeOrgName } from '../../src/domain/bridge-sms.js';
import { smsSegments } from '../../src/domain/sms-segments.js';
import { newLinkCode, PORTAL_LINK_CODE_LENGTH, printableLink } from '../../src/sending/portal-links.js';

const WA = '+447700900123';
const LINK = 'example.com/l/Ab3dE5gH';
const REST = ': Update for you. WhatsApp: wa.me/447700900123 Portal: example.com/l/Ab3dE5gH';
/** Septets left for the org name with WA and LINK. */
const BUDGET = 160 - REST.length;

const compose = (orgName: string, whatsappNumber: string | null = WA, portalLink = LINK) => composeBridgeSms({ orgName, whatsappNumber, portalLink });
/** The org-name part of a composed bridge SMS. */
const orgPart = (sms: string) => sms.slice(0, sms.indexOf(': Update for you.'));

function assertOneGsmSegment(sms: string, label = sms): void {
  const count = smsSegments(sms);
  assert.equal(count.encoding, 'GSM-7', label);
  assert.equal(count.segments, 1, label);
  assert.ok(count.units <= 160, label);
}

test('the spec example is reproduced exactly', () => {
  assert.equal(
    composeBridgeSms({ orgName: 'AcmeMotors', whatsappNumber: '+447700900123', portalLink: 'tflow.link/abc12345' }),
    'AcmeMotors: Update for you. WhatsApp: wa.me/447700900123 Portal: tflow.link/abc12345',
  );
});

test('a name that fits keeps its spaces; the wa.me number is the E.164 digits without +', () => {
  const sms = compose('Acme Motors');
  assert.equal(sms, `Acme Motors${REST}`);
  assertOneGsmSegment(sms);
  assert.equal(BUDGET, 83);
});

test('without a WhatsApp number the text carries only the portal link', () => {
  assert.equal(compose('Acme Motors', null), 'Acme Motors: Update for you. Portal: example.com/l/Ab3dE5gH');
  const long = compose('y'.repeat(200), null);
  assert.equal(long, `${'y'.repeat(160 - ': Update for you. Portal: example.com/l/Ab3dE5gH'.length)}: Update for you. Portal: ${LINK}`);
  assert.equal(smsSegments(long).units, 160);
});

test('a name exactly at the limit is kept whole (160 septets); one more character is cut', () => {
  const atLimit = compose('a'.repeat(BUDGET));
  assert.equal(orgPart(atLimit), 'a'.repeat(BUDGET));
  assert.equal(smsSegments(atLimit).units, 160);
  const over = compose('a'.repeat(BUDGET + 1));
  assert.equal(orgPart(over), 'a'.repeat(BUDGET));
  assert.equal(smsSegments(over).units, 160);
});

test('€ in the name counts two septets at the limit', () => {
  const atLimit = compose('€' + 'a'.repeat(BUDGET - 2));
  assert.equal(orgPart(atLimit), '€' + 'a'.repeat(BUDGET - 2));
  assert.equal(smsSegments(atLimit).units, 160);
  const over = compose('€' + 'a'.repeat(BUDGET - 1));
  assert.equal(orgPart(over), '€' + 'a'.repeat(BUDGET - 2));
  const allEuro = compose('€'.repeat(60));
  assert.equal(orgPart(allEuro), '€'.repeat(Math.floor(BUDGET / 2)));
  assertOneGsmSegment(allEuro);
});

test('extension characters ([ ] { } ^ ~ \\ |) are kept and cost two septets each', () => {
  const name = '[A]{B}^~\\|';
  assert.equal(orgPart(compose(name)), name);
  const over = compose('|'.repeat(50));
  assert.equal(orgPart(over), '|'.repeat(Math.floor(BUDGET / 2)));
  assertOneGsmSegment(over);
});

test('spaces are removed only when that lets the whole name fit', () => {
  const words = Array.from({ length: 8 }, () => 'abcdefghij'); // 87 with spaces, 80 without
  const sms = compose(words.join(' '));
  assert.equal(orgPart(sms), words.join(''));
  assertOneGsmSegment(sms);
  const justFits = 'Acme ' + 'b'.repeat(BUDGET - 5); // BUDGET chars with its space
  assert.equal(orgPart(compose(justFits)), justFits);
});

test('a 120-character name is cut at a word boundary, never mid-word', () => {
  const name = 'Northfield and District Vehicle Maintenance MOT Testing Tyres Exhausts and Bodywork Specialists of Greater Manchester Co';
  assert.equal(name.length, 120);
  const sms = compose(name);
  // "…and Bodywork" is exactly 83 characters: it ends on a word and fills the text to 160
  assert.equal(orgPart(sms), 'Northfield and District Vehicle Maintenance MOT Testing Tyres Exhausts and Bodywork');
  assert.equal(smsSegments(sms).units, 160);
  assertOneGsmSegment(sms);
  // one letter longer and "Bodyworks" would be cut mid-word, so it goes
  const cut = compose(name.replace('Bodywork', 'Bodyworks'));
  assert.equal(orgPart(cut), 'Northfield and District Vehicle Maintenance MOT Testing Tyres Exhausts and');
  assertOneGsmSegment(cut);
});

test('a cut that lands just after a space keeps the last whole word', () => {
  const name = 'x'.repeat(78) + ' abc defgh'; // "…abc " fits, "…abc d" does not
  assert.equal(orgPart(compose(name)), 'x'.repeat(78) + ' abc');
});

test('a single over-long word is cut hard at the limit', () => {
  assert.equal(orgPart(compose('A'.repeat(120))), 'A'.repeat(BUDGET));
});

test('trailing separators are dropped after a cut', () => {
  const name = 'x'.repeat(79) + ' - Sons Ltd';
  assert.equal(orgPart(compose(name)), 'x'.repeat(79));
  const amp = 'x'.repeat(80) + ' & Sons';
  assert.equal(orgPart(compose(amp)), 'x'.repeat(80));
});

test('accented letters outside GSM-7 are transliterated; GSM ones are kept', () => {
  const cases: Array<[string, string]> = [
    ['Garage Ćirić', 'Garage Ciric'],
    ['Łódź Auto Serwis', 'Lodz Auto Serwis'],
    ['Çağrı Oto', 'Çagri Oto'],
    ['Müller Kfz-Technik', 'Müller Kfz-Technik'],
    ["José's Garage", "José's Garage"],
    ['Renée’s “Best” Cars – Leeds', 'Renée\'s "Best" Cars - Leeds'],
    ['Ærø Bilværksted', 'Ærø Bilværksted'],
    ['Jose\u0301 Motors', 'José Motors'],
    ['Œuvre Automobiles…', 'OEuvre Automobiles...'],
    ['Ｆｕｌｌｗｉｄｔｈ Garage', 'Fullwidth Garage'],
  ];
  for (const [name, expected] of cases) {
    assert.equal(gsmSafeOrgName(name), expected, name);
    const sms = compose(name);
    assert.equal(orgPart(sms), expected, name);
    assertOneGsmSegment(sms, name);
  }
});

test('emoji and other non-GSM symbols are dropped', () => {
  assert.equal(orgPart(compose('Acme Motors 🚗🔧')), 'Acme Motors');
  assert.equal(orgPart(compose('🏳️‍🌈 Pride Autos')), 'Pride Autos');
  assert.equal(orgPart(compose('Acme 🚗 Motors')), 'Acme Motors');
});

test('a name with nothing GSM left is omitted with its colon', () => {
  assert.equal(compose('🚗🔧'), `Update for you. WhatsApp: wa.me/447700900123 Portal: ${LINK}`);
  assert.equal(compose('   '), `Update for you. WhatsApp: wa.me/447700900123 Portal: ${LINK}`);
  assert.equal(compose('', null), `Update for you. Portal: ${LINK}`);
});

test('whitespace of any kind collapses to single spaces and is trimmed', () => {
  assert.equal(gsmSafeOrgName('  Acme\t\n Motors\u00a0 Ltd  '), 'Acme Motors Ltd');
  assert.equal(orgPart(compose('\tAcme\r\nMotors\u2003')), 'Acme Motors');
});

test('bad inputs throw clear errors', () => {
  for (const bad of ['447700900123', '+44 7700 900123', '07700900123', '+0447700900123', '']) {
    assert.throws(() => compose('Acme', bad), /E\.164/, JSON.stringify(bad));
  }
  for (const bad of ['', ' ', 'example.com/l/ab cd']) assert.throws(() => compose('Acme', WA, bad), /portal link/, JSON.stringify(bad));
});

test('a portal link too long for any org name throws', () => {
  const bareRest = 'Update for you. WhatsApp: wa.me/447700900123 Portal: '.length; // 53
  const justOne = 'e'.repeat(160 - bareRest - 3); // room for "X: "
  assert.equal(compose('Xavier', WA, justOne), `X: Update for you. WhatsApp: wa.me/447700900123 Portal: ${justOne}`);
  assert.throws(() => compose('Xavier', WA, justOne + 'e'), /cannot fit one GSM-7 segment/);
  assert.throws(() => compose('Acme', WA, 'e'.repeat(150)), /cannot fit one GSM-7 segment/);
  assert.throws(() => compose('🚗', WA, 'e'.repeat(150)), /cannot fit one GSM-7 segment/);
});

test('a non-GSM portal link throws instead of sending UCS-2', () => {
  assert.throws(() => compose('Acme', WA, 'example.com/l/ç'), /cannot fit one GSM-7 segment/);
});

test('every output over a spread of names, numbers and links is one GSM-7 segment of the expected shape', () => {
  const names = [
    'Acme Motors', 'A', 'Garage Ćirić', '€uro Car Centre', '😀'.repeat(40), 'Ø'.repeat(200), '{[|]}'.repeat(30),
    'Bob’s Autos & Tyres — Est. 1987', 'x y '.repeat(60), 'Ёлки Авто', '東京モーターズ Tokyo Motors', 'a'.repeat(1000),
    'Northfield & District Vehicle Maintenance, MOT Testing, Tyres, Exhausts and Bodywork Specialists',
  ];
  const numbers = ['+447700900123', '+14155550123', '+123456789012345', null];
  const links = ['e.co/l/a', LINK, 'portal.torqueflow.example.co.uk/l/Ab3dE5gHjK'];
  for (const name of names) {
    for (const number of numbers) {
      for (const link of links) {
        const sms = compose(name, number, link);
        const label = `${name.slice(0, 20)} | ${number} | ${link}`;
        assertOneGsmSegment(sms, label);
        const tail = number ? ` WhatsApp: wa.me/${number.slice(1)} Portal: ${link}` : ` Portal: ${link}`;
        assert.ok(sms.endsWith(`Update for you.${tail}`), label);
        const org = sms.startsWith('Update for you.') ? '' : orgPart(sms);
        const safe = gsmSafeOrgName(name);
        assert.ok(safe.startsWith(org) || safe.replace(/ /g, '') === org, label);
      }
    }
  }
});

test('scripts without a GSM transliteration are dropped; Greek capitals in GSM-7 are kept', () => {
  assert.equal(gsmSafeOrgName('Ёлки Авто'), '');
  assert.equal(gsmSafeOrgName('東京モーターズ Tokyo Motors'), 'Tokyo Motors');
  assert.equal(gsmSafeOrgName('ΔΣ Motors'), 'ΔΣ Motors');
  assert.equal(gsmSafeOrgName('ΑΒΓ Motors'), 'Γ Motors'); // Greek Alpha and Beta are not the GSM A and B
});

test("a real magic link (16-character code) on a 30-character host leaves a 50-character garage name whole in one GSM-7 segment", () => {
  const name = 'Greater Manchester Vehicle Servicing & MOT Centre'.padEnd(50, 's');
  assert.equal(name.length, 50);
  const link = printableLink('https://portal.northgarages.co.uk', newLinkCode());
  assert.equal(link.length, 'portal.northgarages.co.uk/l/'.length + PORTAL_LINK_CODE_LENGTH);
  assert.ok(link.length - PORTAL_LINK_CODE_LENGTH - 3 <= 30);
  const sms = compose(name, WA, link);
  assertOneGsmSegment(sms);
  assert.equal(orgPart(sms), name, 'the name is kept whole');
  assert.ok(sms.endsWith(`Portal: ${link}`));
});
