/**
 * Builds the benchmark's traffic ahead of time, so signing costs nothing
 * while a phase is measured: Twilio inbound SMS (form-encoded, signed with
 * the official `twilio` package over PUBLIC_BASE_URL + path) and WhatsApp
 * Cloud API webhooks (HMAC-SHA256 of the exact body bytes), from a fixed set
 * of senders, plus floor requests of the same body sizes.
 */
import { createHmac } from 'node:crypto';
import twilioWebhooks from 'twilio/lib/webhooks/webhooks.js';
import { FLOOR_PATH, PUBLIC_BASE_URL, TWILIO_SMS_PATH, WHATSAPP_APP_SECRET, WHATSAPP_PATH, type PlannedCustomer } from './protocol.js';

export type BenchRequest = {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** `provider:provider_message_id` for webhooks, the floor `ref` otherwise. */
  key: string;
};

export type Sender = { phone: string; name: string; customer: boolean; activeWorkOrders: number };

export type OrgPlan = { twilioNumber: string; twilioAuthToken: string; whatsappPhoneNumberId: string };

/** Deterministic PRNG (mulberry32), so a seed reproduces the same traffic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Sam', 'Alex', 'Priya', 'Tom', 'Aisha', 'Chris', 'Maria', 'Dev', 'Jo', 'Kemal', 'Lena', 'Owen'];
const LAST = ['Patel', 'Smith', 'Jones', 'Khan', 'Evans', 'Brown', 'Nowak', 'Walsh', 'Okafor', 'Hughes'];

/**
 * `count` distinct senders in the UK drama range +44 7700 900000–900999;
 * about two thirds are customers of the garage (with 0, 1 or 2 active work
 * orders), the rest are unknown numbers.
 */
export function makeSenders(count: number): Sender[] {
  if (count < 1 || count > 1000) throw new Error('senders must be between 1 and 1000 (the +44 7700 900xxx range)');
  const senders: Sender[] = [];
  for (let i = 0; i < count; i++) {
    const customer = i % 3 !== 2;
    senders.push({
      phone: `+447700900${String(i).padStart(3, '0')}`,
      name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`,
      customer,
      activeWorkOrders: customer ? i % 3 === 0 ? (i % 2) + 1 : 0 : 0,
    });
  }
  return senders;
}

export function plannedCustomers(senders: Sender[]): PlannedCustomer[] {
  return senders.filter((s) => s.customer).map((s) => ({ name: s.name, phone: s.phone, activeWorkOrders: s.activeWorkOrders }));
}

const BODIES = [
  'Hi, is my car ready yet?',
  'Can I book an MOT for next Tuesday morning?',
  'Thanks, I will pick it up after work around 5.',
  'What time do you close today? Running a bit late.',
  'The brake light came on again on the way home, can you have another look?',
  'Do you have any availability this week for a service? It is due next month.',
  'OK 👍',
  'Could you send me the invoice by email please, I need it for my company expenses claim.',
  'Is the quote including VAT?',
  'Yes please go ahead with the tyres, both front ones.',
];

/** A 32-hex-digit block unique to (run, phase, index): the tail of a Twilio sid. */
function hexId(run: string, phase: number, index: number): string {
  return `${run}${phase.toString(16)}${index.toString(16).padStart(23, '0')}`;
}

function twilioRequest(org: OrgPlan, sender: Sender, sid: string, text: string): BenchRequest {
  const params: Record<string, string> = {
    ToCountry: 'US', ToState: 'CA', SmsMessageSid: sid, NumMedia: '0', ToCity: 'SAN FRANCISCO', FromZip: '', SmsSid: sid,
    FromState: '', SmsStatus: 'received', FromCity: '', Body: text, FromCountry: 'GB', To: org.twilioNumber, ToZip: '94105',
    NumSegments: '1', MessageSid: sid, AccountSid: 'AC' + 'b'.repeat(32), From: sender.phone, ApiVersion: '2010-04-01',
  };
  const signature = twilioWebhooks.getExpectedTwilioSignature(org.twilioAuthToken, PUBLIC_BASE_URL + TWILIO_SMS_PATH, params);
  return {
    path: TWILIO_SMS_PATH,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'user-agent': 'TwilioProxy/1.1' },
    body: Buffer.from(new URLSearchParams(params).toString(), 'utf8'),
    key: `twilio:${sid}`,
  };
}

function whatsAppRequest(org: OrgPlan, sender: Sender, wamid: string, text: string, timestamp: number): BenchRequest {
  const waId = sender.phone.slice(1);
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: '102290129340398',
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: org.twilioNumber.slice(1), phone_number_id: org.whatsappPhoneNumberId },
          contacts: [{ profile: { name: sender.name }, wa_id: waId }],
          messages: [{ from: waId, id: wamid, timestamp: String(timestamp), type: 'text', text: { body: text } }],
        },
      }],
    }],
  });
  const signature = `sha256=${createHmac('sha256', WHATSAPP_APP_SECRET).update(body, 'utf8').digest('hex')}`;
  return {
    path: WHATSAPP_PATH,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature, 'user-agent': 'facebookexternalua' },
    body: Buffer.from(body, 'utf8'),
    key: `whatsapp:${wamid}`,
  };
}

/**
 * `count` signed inbound webhooks, each with a message id unique to
 * (run, phase, index): about half Twilio SMS, half WhatsApp text, from
 * senders picked at random.
 */
export function makeIngestRequests(o: { run: string; phase: number; count: number; senders: Sender[]; org: OrgPlan; random: () => number }): BenchRequest[] {
  const out: BenchRequest[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < o.count; i++) {
    const sender = o.senders[Math.floor(o.random() * o.senders.length)]!;
    const text = BODIES[Math.floor(o.random() * BODIES.length)]!;
    out.push(
      o.random() < 0.5
        ? twilioRequest(o.org, sender, `SM${hexId(o.run, o.phase, i)}`, text)
        : whatsAppRequest(o.org, sender, `wamid.HBgM${hexId(o.run, o.phase, i).toUpperCase()}`, text, now - 5),
    );
  }
  return out;
}

/**
 * One floor request per ingest request, with a JSON body padded to the same
 * byte length, so both phases move the same bytes over the same sockets.
 */
export function makeFloorRequests(o: { run: string; phase: number; like: BenchRequest[] }): BenchRequest[] {
  return o.like.map((model, i) => {
    const ref = `floor.${o.run}.${o.phase}.${i}`;
    const empty = JSON.stringify({ ref, body: '' });
    const body = JSON.stringify({ ref, body: 'x'.repeat(Math.max(0, model.body.length - empty.length)) });
    return { path: FLOOR_PATH, headers: { 'content-type': 'application/json' }, body: Buffer.from(body, 'utf8'), key: ref };
  });
}
