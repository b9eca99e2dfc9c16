import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens } from 'gpt-tokenizer';
import { buildAiContext, historyLine, type AiContextInput, type HistoryEntry } from '../../src/domain/ai-context.js';

const at = (min: number) => new Date(Date.UTC(2026, 11, 1, 9, min));
const inbound = (channel: HistoryEntry['channel'], body: string, min = 0): HistoryEntry => ({ channel, direction: 'inbound', aiGenerated: false, body, occurredAt: at(min) });
const outbound = (channel: HistoryEntry['channel'], body: string, aiGenerated = false, min = 0): HistoryEntry => ({ channel, direction: 'outbound', aiGenerated, body, occurredAt: at(min) });

function input(history: HistoryEntry[], over: Partial<AiContextInput> = {}): AiContextInput {
  return {
    garage: { name: 'Acme Motors', openingHours: 'Mon–Fri 8–17:30', instructions: "We're closed Sundays. MOT £54.85." },
    customer: { name: 'Sam Carter' },
    vehicles: [{ registration: 'AB12 CDE', make: 'Ford', model: 'Fiesta' }],
    workOrders: [{ number: 'WO-1042', title: 'MOT and service', status: 'in_progress', vehicleRegistration: 'AB12 CDE' }],
    history,
    tokenBudget: 1000,
    now: at(30),
    ...over,
  };
}

test('lines are tagged by channel exactly as the spec shows: [WhatsApp] Customer: yes, [SMS] Customer: yes, [Portal] …', () => {
  const p = buildAiContext(input([
    outbound('whatsapp', 'Shall we go ahead with the brake pads?'),
    inbound('whatsapp', 'yes', 1),
    outbound('sms', 'Acme Motors: Update for you.', false, 2),
    inbound('sms', 'yes', 3),
    inbound('portal', 'Can I collect at 5?', 4),
    outbound('portal', 'Of course', true, 5),
    inbound('email', 'Invoice please', 6),
  ]));
  assert.deepEqual(p.lines, [
    '[WhatsApp] Garage: Shall we go ahead with the brake pads?',
    '[WhatsApp] Customer: yes',
    '[SMS] Garage: Acme Motors: Update for you.',
    '[SMS] Customer: yes',
    '[Portal] Customer: Can I collect at 5?',
    '[Portal] Receptionist (AI): Of course',
    '[Email] Customer: Invoice please',
  ]);
  assert.equal(p.dropped, 0);
});

test('calls appear as their transcript summary; missed calls and voicemails say so', () => {
  const call = (outcome: 'answered' | 'missed' | 'voicemail', durationSeconds: number, summary: string | null): HistoryEntry => ({ ...inbound('voice', ''), call: { outcome, durationSeconds, summary } });
  assert.equal(historyLine(call('answered', 125, 'Customer asked whether the MOT includes a brake test.')), '[Call] Call (2:05): Customer asked whether the MOT includes a brake test.');
  assert.equal(historyLine(call('voicemail', 38, 'Please ring back about the quote')), '[Call] Voicemail (0:38): Please ring back about the quote');
  assert.equal(historyLine(call('answered', 41, null)), '[Call] Call (0:41)');
  assert.equal(historyLine(call('missed', 0, null)), '[Call] Missed call from the customer');
});

test('staff notes and system entries never reach the model; empty bodies are skipped; whitespace collapses', () => {
  const p = buildAiContext(input([
    { channel: 'internal', direction: 'internal', aiGenerated: false, body: 'Note: customer owes £300, do not release car', occurredAt: at(0) },
    inbound('whatsapp', '', 1),
    inbound('whatsapp', '  is it\n\nready?  ', 2),
  ]));
  assert.deepEqual(p.lines, ['[WhatsApp] Customer: is it ready?']);
  assert.ok(!p.system.includes('owes'));
});

test('the system prompt holds the garage name, opening hours, instructions, the customer and their vehicles and work orders', () => {
  const p = buildAiContext(input([inbound('sms', 'hi')]));
  for (const s of ['Acme Motors', 'Mon–Fri 8–17:30', "We're closed Sundays. MOT £54.85.", 'Sam Carter', 'AB12 CDE Ford Fiesta', 'WO-1042 MOT and service (in progress, AB12 CDE)']) {
    assert.ok(p.system.includes(s), s);
  }
  const unknown = buildAiContext(input([inbound('sms', 'hi')], { customer: null, vehicles: [], workOrders: [], garage: { name: 'Acme Motors', openingHours: '', instructions: '' } }));
  assert.match(unknown.system, /does not match any customer/);
  assert.match(unknown.system, /Opening hours: not given/);
  assert.doesNotMatch(unknown.system, /instructions:/);
});

test('token budget: oldest lines are dropped first, the newest always kept, and the count is the real tokenizer\'s', () => {
  const history = Array.from({ length: 60 }, (_, i) => inbound(i % 2 ? 'sms' : 'whatsapp', `message number ${i} about the clutch and the brakes`, i));
  const p = buildAiContext(input(history, { tokenBudget: 100 }));
  assert.ok(p.dropped > 0);
  assert.equal(p.lines.length + p.dropped, 60);
  assert.equal(p.lines.at(-1), '[SMS] Customer: message number 59 about the clutch and the brakes');
  const counted = p.lines.reduce((n, l) => n + countTokens(`${l}\n`), 0);
  assert.equal(p.historyTokens, counted);
  assert.ok(counted <= 100, `${counted} tokens within the budget`);
  const next = `[WhatsApp] Customer: message number ${59 - p.lines.length} about the clutch and the brakes`;
  assert.ok(counted + countTokens(`${next}\n`) > 100, 'the next older line would not have fitted');
  // Kept lines are the newest, in order.
  assert.deepEqual(p.lines, history.slice(60 - p.lines.length).map(historyLine));
});

test('a latest message longer than the whole budget is kept, shortened to the budget', () => {
  const long = inbound('whatsapp', 'word '.repeat(500));
  const p = buildAiContext(input([inbound('sms', 'earlier'), long], { tokenBudget: 50 }));
  assert.equal(p.lines.length, 1);
  assert.ok(p.lines[0]!.startsWith('[WhatsApp] Customer: word'));
  assert.ok(p.historyTokens <= 50, String(p.historyTokens));
  assert.equal(p.dropped, 1);
});

test('portal magic links never reach the model (they sign the customer in)', () => {
  assert.equal(historyLine(outbound('sms', 'Acme Motors: Update for you. WhatsApp: wa.me/447700900100 Portal: example.com/l/Ab3dE5gH')),
    '[SMS] Garage: Acme Motors: Update for you. WhatsApp: wa.me/447700900100 Portal: [portal link]');
  assert.equal(historyLine(inbound('sms', 'this link https://tflow.link/l/Zz9Yy8XxWw7Vv6Uu did not work')), '[SMS] Customer: this link [portal link] did not work');
});

test('a budget that is not a positive integer is refused', () => {
  assert.throws(() => buildAiContext(input([], { tokenBudget: 0 })), RangeError);
  assert.throws(() => buildAiContext(input([], { tokenBudget: 1.5 })), RangeError);
});
